// Progressive enhancement only: every page works without this file.
// Filter forms apply on change, so a choice shows its result without a click.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.filters");
  if (form && event.target.matches("select, input[type=checkbox]")) form.requestSubmit();
});
