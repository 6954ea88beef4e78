//! Compiles every page template in `templates/` into the binary, so a template added to the
//! folder is served without being named anywhere else.

fn main() {
    minijinja_embed::embed_templates!("templates");
}
