//! The configuration: errors name the file, the line and the key; `config check`.

use std::io::Write as _;

use eid_broker::config::{self, BrokerConfig};
use eid_broker::subject::SubjectMode;

const UPSTREAM: &str = r#"
[[upstreams]]
id = "bankid"
display_name = { sv = "BankID", en = "BankID" }
issuer = "https://bankid.example"
client_id = "broker"
redirect_uri = "https://broker.example/upstream/callback"
client_auth = { method = "client_secret_basic", secret = "s3cret-s3cret" }
acr = [{ level = "http://id.elegnamnden.se/loa/1.0/loa3", request = "http://id.elegnamnden.se/loa/1.0/loa3" }]
"#;

fn head(mode: &str) -> String {
    format!(
        "issuer = \"https://broker.example\"\n[keys]\nephemeral = true\n[subject]\n\
         secret = \"0123456789abcdef0123456789abcdef\"\nmode = \"{mode}\"\n"
    )
}

const CLIENT: &str = r#"
[[clients]]
client_id = "svc"
auth = { method = "none" }
redirect_uris = ["https://svc.example/callback"]
acr = { levels = ["http://id.elegnamnden.se/loa/1.0/loa3"], matching = "minimum" }
"#;

fn parse(text: &str) -> Result<BrokerConfig, eid_broker::ConfigError> {
    BrokerConfig::from_toml_str(text, "broker.toml")
}

#[test]
fn a_good_configuration_is_summarised_by_config_check() {
    let dir = std::env::temp_dir().join(format!("eid-broker-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broker.toml");
    let mut file = std::fs::File::create(&path).unwrap();
    write!(file, "{}{UPSTREAM}{CLIENT}", head("no_store")).unwrap();
    drop(file);
    let summary = config::check(&path).unwrap();
    assert_eq!(summary.issuer, "https://broker.example");
    assert_eq!(summary.clients, ["svc"]);
    assert_eq!(summary.upstreams, ["bankid"]);
    assert!(summary.ephemeral_keys);
    assert_eq!(summary.subject_mode, SubjectMode::NoStore);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_the_file_the_line_and_the_key() {
    // An unknown level in a client's acr, on line 6 of the client table.
    let text = format!(
        "{}{UPSTREAM}{}",
        head("store"),
        CLIENT.replace(
            "levels = [\"http://id.elegnamnden.se/loa/1.0/loa3\"]",
            "levels = [\"http://id.elegnamnden.se/loa/1.0/loa9\"]"
        )
    );
    let line = text.lines().position(|l| l.contains("loa9")).unwrap() + 1;
    let error = parse(&text).unwrap_err();
    assert_eq!(error.file, "broker.toml");
    assert_eq!(error.line, Some(line));
    assert!(
        error.key.starts_with("clients[0].acr.levels"),
        "{}",
        error.key
    );
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!("broker.toml:{line}: `clients[0].acr.levels")),
        "{shown}"
    );

    // An unknown key.
    let text = format!("{}{UPSTREAM}{CLIENT}colour = \"blue\"\n", head("store"));
    let error = parse(&text).unwrap_err();
    assert_eq!(error.line, Some(text.lines().count()));
    assert!(error.message.contains("colour"), "{error}");

    // A syntax error.
    let error = parse("issuer = \n").unwrap_err();
    assert_eq!(error.line, Some(1));
    assert_eq!(error.key, "(syntax)");

    // A checked value: a client naming an upstream that does not exist.
    let text = format!(
        "{}{UPSTREAM}{CLIENT}upstreams = [\"freja\"]\n",
        head("store")
    );
    let error = parse(&text).unwrap_err();
    assert_eq!(error.key, "clients[0].upstreams[0]");
    assert_eq!(error.line, Some(text.lines().count()));
    assert!(error.message.contains("freja"));

    // A short subject secret, and no keys.
    let text = format!("{}{UPSTREAM}{CLIENT}", head("store"))
        .replace("0123456789abcdef0123456789abcdef", "short");
    let error = parse(&text).unwrap_err();
    assert_eq!(error.key, "subject");
    assert_eq!(error.line, Some(4));
    let text = format!("{}{UPSTREAM}{CLIENT}", head("store")).replace("ephemeral = true", "");
    assert_eq!(parse(&text).unwrap_err().key, "keys");

    // A wrong organisation number and an unknown org_refusal.
    let text = format!(
        "{}{UPSTREAM}{CLIENT}org_numbers = [\"123\"]\n",
        head("store")
    );
    let error = parse(&text).unwrap_err();
    assert!(
        error.key.starts_with("clients[0].org_numbers"),
        "{}",
        error.key
    );
    assert_eq!(error.line, Some(text.lines().count()));

    // An upstream's own check.
    let text = format!(
        "{}{}{CLIENT}",
        head("store"),
        UPSTREAM.replace("id = \"bankid\"", "id = \"Bank ID\"")
    );
    let error = parse(&text).unwrap_err();
    assert!(error.key.starts_with("upstreams[0]"), "{}", error.key);
    assert!(error.line.is_some());

    // A file that cannot be read.
    let error = config::check(std::path::Path::new("/nonexistent/broker.toml")).unwrap_err();
    assert_eq!(error.file, "/nonexistent/broker.toml");
    assert_eq!(error.line, None);
}
