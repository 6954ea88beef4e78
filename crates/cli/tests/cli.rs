//! The `touchpoints` binary as a user runs it: real files, a real SQLite database, exit codes
//! and messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// Runs the binary in an English locale, whatever the machine's is.
    fn run(&self, args: &[&str]) -> Output {
        self.run_in("C.UTF-8", args)
    }

    /// Runs the binary with `LANG` set to `locale`.
    fn run_in(&self, locale: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_touchpoints"))
            .args(args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", locale)
            .env(
                "TOUCHPOINTS_DATABASE",
                format!("sqlite://{}", self.path("t.db").display()),
            )
            .current_dir(self.dir.path())
            .output()
            .expect("run touchpoints")
    }

    fn export_csv(&self) -> String {
        let out = self.run(&["export", "--format", "csv"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const HEADER: &str = "name,description,channel,phase,owner,target_groups,status,brand_fit\n";

#[test]
fn csv_import_round_trips_through_export() {
    let ws = Workspace::new();
    // As German Excel saves it: BOM, semicolons, CRLF.
    let csv = "\u{feff}name;channel;phase;target_groups;status;notes\r\n\
               Kundenhotline;phone;after-purchase;Familien, Best Ager;aktiv;\"Wartezeit; samstags\"\r\n\
               Küchenplanung im Showroom;store;before-purchase;;geplant;\r\n";
    let file = ws.write("inventar.csv", csv.as_bytes());
    let out = ws.run(&["import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 created, 0 updated, 0 unchanged"));

    let exported = ws.export_csv();
    assert!(exported.starts_with("name,description,channel,kind,phase"));
    assert!(exported.contains("Kundenhotline"));
    assert!(exported.contains("\"Wartezeit; samstags\""));

    // Importing the export changes nothing.
    let again = ws.write("export.csv", exported.as_bytes());
    let out = ws.run(&["import", arg(&again)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0 created, 0 updated, 2 unchanged"));
}

#[test]
fn a_bad_row_names_row_and_column_and_imports_nothing() {
    let ws = Workspace::new();
    let csv = format!(
        "{HEADER}Filiale;x,,store,during-purchase,,,active,3\n\
         Hotline,,fax,after-purchase,,,active,3\n\
         Chat,,chat,after-purchase,,,vielleicht,9\n"
    );
    let file = ws.write("bad.csv", csv.as_bytes());
    let out = ws.run(&["import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 3, column channel"), "{stderr}");
    assert!(stderr.contains("row 4, column status"), "{stderr}");
    assert!(stderr.contains("row 4, column brand_fit"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(ws.export_csv().lines().count(), 1, "only the header");
}

#[test]
fn invalid_utf8_is_reported_not_a_crash() {
    let ws = Workspace::new();
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"Hotline,Beschreibung mit \xe4 in Latin-1,phone,after-purchase,,,active,3\n",
    );
    let file = ws.write("latin1.csv", &bytes);
    let out = ws.run(&["import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 2, column description"), "{stderr}");
    assert_eq!(ws.export_csv().lines().count(), 1);
}

#[test]
fn json_import_and_dry_run() {
    let ws = Workspace::new();
    let json = r#"[{"name": "Live-Chat", "channel": "chat", "phase": "after-purchase",
                    "importance": {"experience": 5}, "regions": ["Nord"]}]"#;
    let file = ws.write("touchpoints.json", json.as_bytes());
    let out = ws.run(&["import", "--dry-run", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        ws.export_csv().lines().count(),
        1,
        "a dry run writes nothing"
    );
    let out = ws.run(&["import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = ws.run(&["export", "--format", "json"]);
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON export");
    assert_eq!(exported[0]["name"], "Live-Chat");
    assert_eq!(exported[0]["importance"]["experience"], 5);
    assert_eq!(exported[0]["regions"][0], "Nord");
}

#[test]
fn json_with_a_wrong_type_names_item_and_field() {
    let ws = Workspace::new();
    let json = r#"[{"name": "A", "channel": "chat", "phase": "after-purchase"},
                   {"name": "B", "channel": "chat", "phase": "after-purchase", "brand_fit": "hoch"}]"#;
    let file = ws.write("bad.json", json.as_bytes());
    let out = ws.run(&["import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 2, column brand_fit"), "{stderr}");
    assert_eq!(ws.export_csv().lines().count(), 1);
}

#[test]
fn unknown_format_and_missing_file_are_clear_errors() {
    let ws = Workspace::new();
    let file = ws.write("inventar.xls", b"x");
    let out = ws.run(&["import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--format"),
        "{}",
        text(&out.stderr)
    );
    let out = ws.run(&["import", "fehlt.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read fehlt.csv"));
    let out = ws.run(&["import", "--format", "xml", arg(&file)]);
    assert!(text(&out.stderr).contains("unknown format \"xml\""));
}

#[test]
fn demo_loads_once_and_protects_real_data() {
    let ws = Workspace::new();
    let out = ws.run(&["demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Nordlicht Wohnen"));
    let rows = ws.export_csv().lines().count() - 1;
    assert!((38..=45).contains(&rows), "{rows} demo touchpoints");
    // Loading again is harmless.
    let out = ws.run(&["demo"]);
    assert!(out.status.success());
    assert_eq!(ws.export_csv().lines().count() - 1, rows);

    let other = Workspace::new();
    let file = other.write(
        "eigene.csv",
        format!("{HEADER}Eigene Hotline,,phone,after-purchase,,,active,3\n").as_bytes(),
    );
    assert!(other.run(&["import", arg(&file)]).status.success());
    let out = other.run(&["demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(other.export_csv().lines().count(), 2);
}

#[test]
fn an_unusable_database_url_says_so() {
    let ws = Workspace::new();
    let out = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
        .args(["export", "--database", "mysql://localhost/x"])
        .current_dir(ws.dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unsupported database URL"));
}

/// The example guideline and content of the demo company, as the README shows them.
fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/nordlicht")
        .join(path)
}

#[test]
fn check_reports_contradictions_naming_both_places_and_fails() {
    let ws = Workspace::new();
    let guideline = fixture("guideline.yaml");
    let content = fixture("content");
    let out = ws.run(&["check", "--guideline", arg(&guideline), arg(&content)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The newsletter says 14 days and another hotline number; the website FAQ says 30 days.
    assert!(
        stdout.contains("newsletter/2026-11.md:5:9: error[contradicts-guideline/return-period]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("newsletter/2026-11.md:6:32: error[contradicts-guideline/hotline]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("website/faq.html:7:45: the other place"),
        "{stdout}"
    );
    assert!(
        stdout.contains("website/faq.html:9:19: the other place"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning[wrong-address/address]"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("4 texts checked: 6 errors, 4 warnings"));

    // In a German locale the report speaks German; its places and codes stay as they are.
    let out = ws.run_in(
        "de_DE.UTF-8",
        &["check", "--guideline", arg(&guideline), arg(&content)],
    );
    assert_eq!(out.status.code(), Some(1));
    let german = text(&out.stdout);
    assert!(
        german.contains("newsletter/2026-11.md:5:9: error[contradicts-guideline/return-period]"),
        "{german}"
    );
    assert!(german.contains("widerspricht dem Leitfaden"), "{german}");
    assert!(
        german.contains("website/faq.html:7:45: die andere Stelle"),
        "{german}"
    );
    assert!(!german.contains("contradicts the guideline"), "{german}");
    assert!(
        text(&out.stderr).contains("4 Texte geprüft: 6 Fehler, 4 Warnungen"),
        "{}",
        text(&out.stderr)
    );

    let out = ws.run(&[
        "check",
        "--format",
        "json",
        "-g",
        arg(&guideline),
        arg(&content),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["errors"], 6);
    assert_eq!(report["warnings"], 4);
    let first = &report["findings"][0];
    assert_eq!(first["kind"], "contradicts_guideline");
    assert!(first["places"][0]["excerpt"].is_string());
}

#[test]
fn check_passes_consistent_content_and_rejects_a_broken_guideline() {
    let ws = Workspace::new();
    let guideline = fixture("guideline.yaml");
    let site = ws.path("site");
    std::fs::create_dir_all(site.join("website")).expect("dir");
    std::fs::write(
        site.join("website/faq.md"),
        "Sie können Artikel innerhalb von 30 Tagen zurückgeben.\n\
         Unsere Hotline: 0800 123 45 67.\n",
    )
    .expect("write");
    let out = ws.run(&["check", "-g", arg(&guideline), arg(&site)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let broken = ws.write(
        "broken.yaml",
        b"facts:\n  - key: Rueckgabe Frist\n    label: X\n    kind: duration\n    value: bald\n    keywords: []\n",
    );
    let out = ws.run(&["check", "-g", arg(&broken), arg(&site)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("facts[0].key"), "{stderr}");
    assert!(stderr.contains("facts[0].value"), "{stderr}");
    assert!(stderr.contains("facts[0].keywords"), "{stderr}");

    let unknown = ws.write("unknown.yaml", b"facts: []\ncolour: red\n");
    let out = ws.run(&["check", "-g", arg(&unknown), arg(&site)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("colour"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_warns_of_an_unknown_contact_and_passes() {
    let ws = Workspace::new();
    let guideline = fixture("guideline.yaml");
    let site = ws.path("site");
    std::fs::create_dir_all(site.join("website")).expect("dir");
    std::fs::write(
        site.join("website/kontakt.md"),
        "Bestellungen nimmt Frau Meier unter 040 555 666 77 an.\n\
         Presseanfragen an presse@nordlicht-wohnen.de, alles Weitere auf \
         https://www.nordlicht-wohnen.de/kontakt.\n",
    )
    .expect("write");
    let out = ws.run(&["check", "-g", arg(&guideline), arg(&site)]);
    // A warning: the check passes.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "kontakt.md:1:37: warning[unknown-contact/+49 4055566677]: Unknown phone number? \
             \"040 555 666 77\" is neither in the guideline nor among the allowed contacts."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("= fix: Write \"0800 123 45 67\" (Service-Hotline) from the guideline"),
        "{stdout}"
    );
    // The guideline allows the press address and the pages of its website.
    assert_eq!(stdout.matches("warning[").count(), 1, "{stdout}");
    assert!(
        text(&out.stderr).contains("1 text checked: 0 errors, 1 warning"),
        "{}",
        text(&out.stderr)
    );

    let out = ws.run_in("de_DE.UTF-8", &["check", "-g", arg(&guideline), arg(&site)]);
    assert!(
        text(&out.stdout).contains("Unbekannte Telefonnummer? „040 555 666 77“"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_says_how_many_findings_it_left_out() {
    let ws = Workspace::new();
    let guideline = fixture("guideline.yaml");
    let site = ws.path("site");
    std::fs::create_dir_all(site.join("website")).expect("dir");
    std::fs::write(
        site.join("website/absage.md"),
        "Das ist leider nicht möglich.\n".repeat(23),
    )
    .expect("write");
    let out = ws.run(&["check", "-g", arg(&guideline), arg(&site)]);
    let stdout = text(&out.stdout);
    // Twenty listed, the last of them with a note on the other three.
    assert_eq!(
        stdout.matches("warning[forbidden-term/").count(),
        20,
        "{stdout}"
    );
    assert!(stdout.contains("absage.md:20:"), "{stdout}");
    assert!(!stdout.contains("absage.md:21:"), "{stdout}");
    assert_eq!(
        stdout
            .matches("= note: 3 more findings like this one are not listed")
            .count(),
        1,
        "{stdout}"
    );

    let out = ws.run_in("de_DE.UTF-8", &["check", "-g", arg(&guideline), arg(&site)]);
    assert!(
        text(&out.stdout).contains("= note: 3 weitere Befunde dieser Art sind nicht aufgeführt"),
        "{}",
        text(&out.stdout)
    );
    let out = ws.run(&[
        "check",
        "-g",
        arg(&guideline),
        "--format",
        "json",
        arg(&site),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let unlisted: Vec<u64> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["unlisted"].as_u64().expect("unlisted"))
        .collect();
    assert_eq!(unlisted.iter().sum::<u64>(), 3, "{unlisted:?}");
    assert_eq!(unlisted.last(), Some(&3), "{unlisted:?}");
}

#[test]
fn a_guideline_with_an_alias_bomb_is_refused_by_check_and_import() {
    let ws = Workspace::new();
    // One anchored text of 10 KB referred to 20,000 times: 0.3 MB of file that a parser
    // replaying aliases would make 200 MB of terms.
    let mut bomb = format!(
        "tone:\n  forbidden:\n    - term: &t \"{}\"\n",
        "x".repeat(10_000)
    );
    for _ in 0..20_000 {
        bomb.push_str("    - term: *t\n");
    }
    let bomb = ws.write("bomb.yaml", bomb.as_bytes());
    let site = ws.write("faq.txt", b"Sie erreichen uns werktags.\n");
    for args in [
        &["check", "-g", arg(&bomb), arg(&site)][..],
        &["guideline", "import", arg(&bomb)],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("document: uses an anchor"), "{stderr}");
        assert!(stderr.contains("line 3"), "{stderr}");
        // One problem, not one per alias.
        assert!(stderr.lines().count() < 5, "{stderr}");
    }
    let out = ws.run(&["guideline", "export", "--format", "json"]);
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(exported["tone"]["forbidden"], serde_json::json!([]));
}

#[test]
fn the_library_in_the_database_is_checked_like_files() {
    let ws = Workspace::new();
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("guideline import"),
        "{}",
        text(&out.stderr)
    );

    let guideline = fixture("guideline.yaml");
    let out = ws.run(&["guideline", "import", arg(&guideline)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = ws.run(&["content", "import", arg(&fixture("content"))]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("4 created, 0 replaced"));
    let again = ws.run(&["content", "import", arg(&fixture("content"))]);
    assert!(text(&again.stdout).contains("0 created, 4 replaced"));

    let out = ws.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "contradictions fail the check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["errors"], 6);
    // The places are the library's texts, named by their titles.
    let titles: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["places"].as_array().expect("places").iter())
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"faq") && titles.contains(&"2026-11"),
        "{titles:?}"
    );

    // The guideline goes back out as it came in.
    let out = ws.run(&["guideline", "export", "--format", "json"]);
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(exported["facts"][0]["key"], "return-period");
    assert_eq!(exported["tone"]["address"], "formal");
}

#[test]
fn interactions_are_imported_all_or_nothing() {
    let ws = Workspace::new();
    let csv = ws.write(
        "t.csv",
        format!("{HEADER}Kundenhotline,,phone,after-purchase,Kundenservice,,active,3\n").as_bytes(),
    );
    assert!(ws.run(&["import", arg(&csv)]).status.success());
    let bad = ws.write(
        "bad.json",
        br#"[
            {"external_id": "T-1", "touchpoint": "Kundenhotline", "channel": "phone",
             "customer_name": "Anna Becker", "received_at": "2026-03-02T09:15:00+01:00",
             "reply": "Guten Tag Frau Becker"},
            {"touchpoint": "Filiale", "channel": "fax", "received_at": "gestern"}
        ]"#,
    );
    let out = ws.run(&["interactions", "import", arg(&bad)]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("row 2, touchpoint:"), "{err}");
    assert!(err.contains("row 2, channel:"), "{err}");
    assert!(err.contains("row 2, received_at:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let good = ws.write(
        "good.json",
        br#"[
            {"external_id": "T-1", "touchpoint": "kundenhotline", "channel": "phone",
             "customer_name": "Anna Becker", "received_at": "2026-03-02T09:15:00+01:00",
             "first_response_at": "2026-03-02T09:20:00+01:00", "reply": "Guten Tag Frau Becker"}
        ]"#,
    );
    let out = ws.run(&["interactions", "import", arg(&good)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 interactions created, 0 updated"),
        "{}",
        text(&out.stdout)
    );
    let again = ws.run(&["interactions", "import", arg(&good)]);
    assert!(
        text(&again.stdout).contains("0 interactions created, 1 updated"),
        "{}",
        text(&again.stdout)
    );
}

/// A workspace with the touchpoints that answer files below refer to.
fn with_touchpoints() -> Workspace {
    let ws = Workspace::new();
    let file = ws.write(
        "inventar.csv",
        b"name,channel,phase\nKundenhotline,phone,after-purchase\nOnlineshop,website,during-purchase\n",
    );
    let out = ws.run(&["import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    ws
}

#[test]
fn answers_import_and_their_export_reads_back_unchanged() {
    let ws = with_touchpoints();
    // As German Excel saves it; touchpoints by name in any case or by id.
    let csv = "\u{feff}touchpoint;metric;score;comment;answered_at;customer_ref;external_id\r\n\
               kundenhotline;nps;9;\"Schnell; freundlich\";2026-03-02T09:15:00+01:00;K-10042;A-1\r\n\
               Onlineshop;csat;2;=zu langsam;2026-03-03T10:00:00Z;;A-2\r\n\
               1;ces;6;;2026-03-04T12:00:00Z;;A-3\r\n";
    let file = ws.write("antworten.csv", csv.as_bytes());
    let out = ws.run(&["responses", "import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 answers imported, 0 already there"));

    let out = ws.run(&["responses", "export"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = text(&out.stdout);
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(
        lines[0],
        "touchpoint,metric,score,comment,answered_at,channel,customer_ref,external_id,survey_id"
    );
    assert_eq!(lines.len(), 4, "{exported}");
    assert!(lines[1].starts_with("1,nps,9,\"Schnell; freundlich\",2026-03-02T08:15:00Z,"));
    assert!(
        lines[2].contains(",'=zu langsam,"),
        "formulas are defused: {exported}"
    );

    // Reading the export back finds every answer already there, in either format.
    let again = ws.write("export.csv", exported.as_bytes());
    let out = ws.run(&["responses", "import", arg(&again)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0 answers imported, 3 already there"));
    let json = ws.path("export.json");
    let out = ws.run(&["responses", "export", arg(&json)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let parsed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("export written")).expect("JSON");
    assert_eq!(parsed[1]["comment"], "=zu langsam");
    assert_eq!(parsed[2]["score"], 6);
    let out = ws.run(&["responses", "import", arg(&json)]);
    assert!(text(&out.stdout).contains("0 answers imported, 3 already there"));
}

#[test]
fn a_bad_answers_file_names_rows_and_columns_and_stores_nothing() {
    let ws = with_touchpoints();
    let file = ws.write(
        "antworten.csv",
        b"touchpoint,metric,score,answered_at\n\
          Kundenhotline,nps,8,2026-03-02T09:15:00Z\n\
          Kundenhotline,nps,11,2026-03-02T09:15:00Z\n\
          Filiale,csat,3,gestern\n",
    );
    let out = ws.run(&["responses", "import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 3, column score"), "{stderr}");
    assert!(stderr.contains("row 4, column touchpoint"), "{stderr}");
    assert!(stderr.contains("row 4, column answered_at"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let out = ws.run(&["responses", "export"]);
    assert_eq!(text(&out.stdout).lines().count(), 1, "only the header");

    let out = ws.run(&["responses", "import", "antworten.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--format csv"));
}

#[test]
fn customer_events_import_and_export_with_amounts() {
    let ws = Workspace::new();
    let file = ws.write(
        "ereignisse.csv",
        "customer_ref;kind;at;amount;external_id\n\
         K-10001;purchase;2026-03-02T09:15:00+01:00;1.234,50;E-1\n\
         K-10001;purchase;2026-03-03T09:15:00+01:00;-3,50;E-2\n\
         K-10001;churn;2026-04-01T12:00:00Z;;E-3\n"
            .as_bytes(),
    );
    let out = ws.run(&["events", "import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 customer events imported"));

    let out = ws.run(&["events", "export", "-"]);
    let exported = text(&out.stdout);
    assert!(exported.contains("K-10001,purchase,2026-03-02T08:15:00Z,1234.50,E-1"));
    // A refund is a negative number, written as one.
    assert!(exported.contains(",-3.50,E-2"), "{exported}");
    assert!(exported.contains("K-10001,churn,2026-04-01T12:00:00Z,,E-3"));
    let again = ws.write("export.csv", exported.as_bytes());
    let out = ws.run(&["events", "import", arg(&again)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0 customer events imported, 3 already there"));

    let bad = ws.write(
        "bad.json",
        br#"[{"customer_ref": "K-1", "kind": "purchase", "at": "2026-03-02T09:15:00Z"},
             {"customer_ref": "K-1", "kind": "visit", "amount": "zehn"}]"#,
    );
    let out = ws.run(&["events", "import", arg(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 1, column amount"), "{stderr}");
    assert!(stderr.contains("row 2, column kind"), "{stderr}");
    assert!(stderr.contains("row 2, column amount"), "{stderr}");
}

#[test]
fn demo_at_scale_adds_answers_to_the_demo_company() {
    let ws = Workspace::new();
    let out = ws.run(&["demo", "--scale", "2000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Nordlicht Wohnen"), "{stdout}");
    assert!(stdout.contains("surveys created"), "{stdout}");
    assert!(
        stdout.contains("2000 answers and 2000 customer events"),
        "{stdout}"
    );
    let out = ws.run(&["responses", "export"]);
    let answers = text(&out.stdout).lines().count() - 1;
    assert!(answers >= 2_000, "{answers}");
    let out = ws.run(&["events", "export"]);
    assert!(text(&out.stdout).lines().count() > 2_000);
}

#[test]
fn time_zone_and_api_tokens_from_the_command_line() {
    let ws = Workspace::new();
    let out = ws.run(&["settings", "time-zone"]);
    assert_eq!(text(&out.stdout).trim(), "Europe/Berlin");
    let out = ws.run(&["settings", "time-zone", "Europe/Lisbon"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = ws.run(&["settings", "time-zone"]);
    assert_eq!(text(&out.stdout).trim(), "Europe/Lisbon");
    let out = ws.run(&["settings", "time-zone", "Mond/Basis"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("time_zone"));
    assert!(ws.run(&["rollups", "rebuild"]).status.success());

    let out = ws.run(&["user", "add", "anna", "--role", "admin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = ws.run(&[
        "token", "create", "--user", "Anna", "--name", "Export", "--scope", "read",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout);
    assert!(
        token.trim().starts_with("tp_") && token.trim().len() == 67,
        "{token}"
    );
    let out = ws.run(&[
        "token", "create", "--user", "niemand", "--name", "x", "--scope", "read",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = ws.run(&[
        "token", "create", "--user", "anna", "--name", "x", "--scope", "admin",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn requests_import_all_or_nothing_and_joins_profiles() {
    let ws = Workspace::new();
    let bad = "external_id;channel;email;phone;subject;body;received_at\n\
               m-1;email;anna@example.de;;Lieferung;Wo bleibt das Sofa?;2026-03-02T09:15:00Z\n\
               c-1;fax;;0171 1234567;Rückruf;Bitte zurückrufen;gestern\n";
    let file = ws.write("bad.csv", bad.as_bytes());
    let out = ws.run(&["requests", "import", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("row 3, column received_at"), "{stderr}");
    assert!(stderr.contains("row 3, column channel"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let good = "external_id;channel;email;phone;subject;body;received_at;first_response_at;resolved_at\n\
                m-1;email;anna@example.de;;Lieferung;Wo bleibt das Sofa?;2026-03-02T09:15:00Z;2026-03-02T10:00:00Z;2026-03-03T09:00:00Z\n\
                c-1;phone;anna@example.de;0171 1234567;Rückruf;Bitte zurückrufen;2026-03-04T11:00:00Z;;\n";
    let file = ws.write("good.csv", good.as_bytes());
    let out = ws.run(&["requests", "import", "--dry-run", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 requests are valid"));
    let out = ws.run(&["requests", "import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 requests imported, 0 stored before"));
    // Again: nothing new.
    let out = ws.run(&["requests", "import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0 requests imported, 2 stored before"));
    // Both rows belong to one person.
    let out = ws.run(&["gdpr", "export", "+49 171 1234567"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        export["places"]["customer_requests"]
            .as_array()
            .expect("requests")
            .len(),
        2
    );
}

#[test]
fn gdpr_export_and_erase_by_e_mail_reach_answers_and_events_under_the_customer_number() {
    let ws = with_touchpoints();
    // One profile with an e-mail address and a customer number; an answer and a purchase
    // under the customer number only.
    let requests = "external_id;channel;email;customer_number;name;subject;body;received_at\n\
                    m-1;email;zyxwa.canarius@example.de;KD-CANARY7;Zyxwa Canarius;Sofa;\
                    Wo bleibt das Sofa?;2026-03-02T09:15:00Z\n";
    let answers = "touchpoint;metric;score;comment;answered_at;customer_ref\n\
                   Kundenhotline;nps;3;Zyxwa Canarius wartet;2026-03-02T10:00:00Z;KD-CANARY7\n";
    let events = "customer_ref;kind;at;amount\nKD-CANARY7;purchase;2026-03-02T11:00:00Z;499,00\n";
    for (command, name, content) in [
        ("requests", "anfragen.csv", requests),
        ("responses", "antworten.csv", answers),
        ("events", "ereignisse.csv", events),
    ] {
        let file = ws.write(name, content.as_bytes());
        let out = ws.run(&[command, "import", arg(&file)]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    let out = ws.run(&["gdpr", "export", "Zyxwa.Canarius@example.de"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let places = &export["places"];
    assert_eq!(places["customer_profiles"][0]["name"], "Zyxwa Canarius");
    assert_eq!(
        places["survey_responses"][0]["comment"],
        "Zyxwa Canarius wartet"
    );
    assert_eq!(places["customer_events"][0]["amount_cents"], 49_900);

    let out = ws.run(&["gdpr", "erase", "zyxwa.canarius@example.de", "--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("survey_responses: 1 record(s)"), "{report}");
    assert!(report.contains("customer_events: 1 record(s)"), "{report}");
    // Not in the database's files either, once the command has ended.
    for name in ["t.db", "t.db-wal"] {
        let Ok(bytes) = std::fs::read(ws.path(name)) else {
            continue;
        };
        let bytes = bytes.to_ascii_lowercase();
        for needle in ["zyxwa", "canar"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in {name}"
            );
        }
    }
    // Nothing is left to find by the other identifier.
    let out = ws.run(&["gdpr", "export", "KD-CANARY7"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(export["places"], serde_json::json!({}));
    let out = ws.run(&["gdpr", "erase", "KD-CANARY7", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "nothing is left to erase");
    let out = ws.run(&["events", "export", "-"]);
    let exported = text(&out.stdout);
    assert!(!exported.contains("CANARY"), "{exported}");
    assert!(
        exported.contains(",499.00,"),
        "the purchase counts on: {exported}"
    );
    let out = ws.run(&["responses", "export"]);
    let exported = text(&out.stdout);
    assert!(!exported.contains("Canarius"), "{exported}");
    assert!(exported.contains(",3,"), "the score counts on: {exported}");
}

// --- serving, backup and restore ------------------------------------------------------------

/// A `touchpoints serve` of the workspace's database on a free port, stopped (killed, as a
/// crash would) when dropped.
struct Serving {
    child: std::process::Child,
    address: String,
}

impl Serving {
    fn start(ws: &Workspace, envs: &[(&str, &str)]) -> Serving {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env(
                "TOUCHPOINTS_DATABASE",
                format!("sqlite://{}", ws.path("t.db").display()),
            )
            .envs(envs.iter().copied())
            .current_dir(ws.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start touchpoints serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the server prints its address before it ends")
                .expect("read a line");
            if let Some(address) = line.strip_prefix("Touchpoints listening on http://") {
                break address.to_owned();
            }
        };
        // Reads what else it prints, as a terminal would: a closed pipe would end it.
        std::thread::spawn(move || lines.for_each(drop));
        Serving { child, address }
    }

    /// The status line and the body of a GET.
    fn get(&self, path: &str) -> (String, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read the answer");
        let status = answer.lines().next().unwrap_or_default().to_owned();
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn names(ws: &Workspace) -> Vec<String> {
    let mut names: Vec<String> = ws
        .export_csv()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_taken_while_serving_restores_the_data_it_held() {
    let ws = with_touchpoints();
    let server = Serving::start(&ws, &[]);
    assert_eq!(
        server.get("/readyz"),
        ("HTTP/1.1 200 OK".to_owned(), "ready\n".to_owned())
    );

    let out = ws.run(&["backup", "backup.db"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(ws.path("backup.db").is_file());

    // The data changes after the backup.
    let file = ws.write(
        "more.csv",
        b"name,channel,phase\nLive-Chat,chat,after-purchase\n",
    );
    let out = ws.run(&["import", arg(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(names(&ws), ["Kundenhotline", "Live-Chat", "Onlineshop"]);

    // Not while the server has the database open.
    let out = ws.run(&["restore", "backup.db"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("in use"), "{stderr}");
    assert!(stderr.contains("stop the server"), "{stderr}");
    assert_eq!(names(&ws), ["Kundenhotline", "Live-Chat", "Onlineshop"]);

    // Stopped the hard way, its write-ahead log left behind.
    drop(server);
    let out = ws.run(&["restore", "backup.db"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("restored"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(names(&ws), ["Kundenhotline", "Onlineshop"]);

    // It serves the restored data.
    let server = Serving::start(&ws, &[]);
    assert_eq!(server.get("/readyz").0, "HTTP/1.1 200 OK");
}

#[test]
fn backup_and_restore_refuse_bad_input_and_change_nothing() {
    let ws = Workspace::new();
    let out = ws.run(&["backup", "backup.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("there is no database"),
        "{}",
        text(&out.stderr)
    );
    assert!(!ws.path("t.db").exists(), "no database was created");
    assert!(!ws.path("backup.db").exists());

    let ws = with_touchpoints();
    let out = ws.run(&["backup", "backup.db"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let backup = std::fs::read(ws.path("backup.db")).expect("read the backup");

    // An existing file is replaced only with --force.
    let file = ws.write(
        "more.csv",
        b"name,channel,phase\nLive-Chat,chat,after-purchase\n",
    );
    assert!(ws.run(&["import", arg(&file)]).status.success());
    let out = ws.run(&["backup", "backup.db"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("exists already"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(ws.path("backup.db")).expect("read"), backup);

    // What is not a Touchpoints backup is refused, and the database stays as it is.
    ws.write("notes.txt", b"Dies ist keine Datenbank.\n");
    ws.write("empty.db", b"");
    for (file, expected) in [
        ("missing.db", "there is no file missing.db"),
        ("notes.txt", "is not a Touchpoints database"),
        ("empty.db", "is not a Touchpoints database"),
    ] {
        let out = ws.run(&["restore", file]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert_eq!(
            names(&ws),
            ["Kundenhotline", "Live-Chat", "Onlineshop"],
            "{file}"
        );
    }

    let out = ws.run(&["backup", "--force", "backup.db"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(std::fs::read(ws.path("backup.db")).expect("read"), backup);
}

#[test]
fn postgres_backups_are_left_to_its_own_tools() {
    let ws = Workspace::new();
    for command in ["backup", "restore"] {
        let out = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
            .args([command, "touchpoints.dump"])
            .env(
                "TOUCHPOINTS_DATABASE",
                "postgres://touchpoints:geheim@db.internal/touchpoints",
            )
            .current_dir(ws.dir.path())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("pg_dump"), "{command}: {stderr}");
        assert!(stderr.contains("pg_restore"), "{command}: {stderr}");
        assert!(!stderr.contains("geheim"), "{command}: {stderr}");
        assert!(!ws.path("touchpoints.dump").exists());
    }
}

#[test]
fn durability_is_full_or_relaxed_by_choice() {
    let ws = with_touchpoints();
    let out = ws.run(&["serve", "--durability", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--durability"), "{stderr}");
    assert!(stderr.contains("fast"), "{stderr}");

    let server = Serving::start(&ws, &[("TOUCHPOINTS_DURABILITY", "relaxed")]);
    assert_eq!(
        server.get("/healthz"),
        ("HTTP/1.1 200 OK".to_owned(), "ok\n".to_owned())
    );
}

#[test]
fn the_plans_counts_are_kept_at_most_a_day() {
    let ws = with_touchpoints();
    for value in ["86401", "-1", "fünf"] {
        let out = ws.run(&["serve", &format!("--plan-counts-max-age={value}")]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("--plan-counts-max-age"), "{stderr}");
        assert!(stderr.contains(value), "{stderr}");
    }

    let server = Serving::start(&ws, &[("TOUCHPOINTS_PLAN_COUNTS_MAX_AGE", "86400")]);
    assert_eq!(
        server.get("/healthz"),
        ("HTTP/1.1 200 OK".to_owned(), "ok\n".to_owned())
    );
}

#[test]
fn serve_keeps_serving_when_its_standard_output_is_closed() {
    let ws = with_touchpoints();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env(
            "TOUCHPOINTS_DATABASE",
            format!("sqlite://{}", ws.path("t.db").display()),
        )
        .current_dir(ws.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start touchpoints serve");
    // Nobody reads what it prints: its first line meets a closed pipe.
    drop(child.stdout.take());
    let server = Serving {
        child,
        address: format!("127.0.0.1:{port}"),
    };
    let mut answer = None;
    for _ in 0..300 {
        if std::net::TcpStream::connect(&server.address).is_ok() {
            answer = Some(server.get("/healthz"));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mut server = server;
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the server ended"
    );
    assert_eq!(
        answer,
        Some(("HTTP/1.1 200 OK".to_owned(), "ok\n".to_owned()))
    );
}

#[test]
fn logs_come_as_json_lines_when_asked() {
    use std::io::BufRead;
    let ws = with_touchpoints();
    let mut child = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env(
            "TOUCHPOINTS_DATABASE",
            format!("sqlite://{}", ws.path("t.db").display()),
        )
        .env("TOUCHPOINTS_LOG_FORMAT", "json")
        .current_dir(ws.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start touchpoints serve");
    let stderr = child.stderr.take().expect("stderr");
    let first = std::io::BufReader::new(stderr)
        .lines()
        .next()
        .expect("a log line")
        .expect("read");
    let _ = child.kill();
    let _ = child.wait();
    let line: serde_json::Value = serde_json::from_str(&first).expect("a JSON line");
    assert_eq!(line["level"], "INFO", "{line}");
    assert!(line["fields"]["message"].is_string(), "{line}");

    let out = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env(
            "TOUCHPOINTS_DATABASE",
            format!("sqlite://{}", ws.path("t.db").display()),
        )
        .env("TOUCHPOINTS_LOG_FORMAT", "xml")
        .current_dir(ws.dir.path())
        .output()
        .expect("run touchpoints");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("TOUCHPOINTS_LOG_FORMAT"));
}

#[test]
fn actions_import_from_the_plans_columns_all_rows_or_none() {
    let ws = Workspace::new();
    let inventory = ws.write(
        "inventar.csv",
        b"name,channel,phase\nKundenhotline,phone,after-purchase\n",
    );
    assert!(ws.run(&["import", arg(&inventory)]).status.success());
    let plan = ws.write(
        "plan.csv",
        "kind,title,touchpoints,start,due,budgets\n\
         optimise,Rückrufe,Kundenhotline,2027-01-04,2027-02-01,2027-Q1: 5000.00/0.00\n\
         launch,App,,,,\n"
            .as_bytes(),
    );
    let out = ws.run(&["actions", "import", "--dry-run", arg(&plan)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 actions are valid; nothing was written"));
    let out = ws.run(&["actions", "import", arg(&plan)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 actions imported"));

    let bad = ws.write(
        "bad.csv",
        b"kind,title,touchpoints,start,due\n\
          launch,Chat,,,\n\
          optimise,Drei,Kundenhotline,2027-03-01,2027-02-01\n",
    );
    let out = ws.run(&["actions", "import", arg(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("row 3, column due: comes before the start (2027-03-01)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
}
