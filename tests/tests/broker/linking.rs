//! Linking: the same person through two upstreams gets the same `sub` (the person key is the
//! personal number, the coordination number, or for a newcomer the document-bound key); two
//! sectors get two `sub`s; two persons never share one. With and without the account store.

use crate::profiles::everything;
use crate::rp::Journey;
use crate::world::{World, all_upstreams};

/// The verified `sub` of `person` logging in to `client` through `upstream`, in a fresh
/// browser.
async fn sub(world: &World, client: &str, upstream: &str, person: &str) -> String {
    let rp = world.rp(client);
    let done = rp
        .login(
            &[("https://id.oidc.se/param/authnProvider", upstream)],
            &Journey::person(person),
        )
        .await;
    assert_eq!(done.upstream_logins, 1, "{client}/{upstream}/{person}");
    rp.verify(world, &done, None).await.subject().to_owned()
}

/// `(what, (client, upstream, person), (client, upstream, person), same sub)`.
type Row = (
    &'static str,
    (&'static str, &'static str, &'static str),
    (&'static str, &'static str, &'static str),
    bool,
);

const ROWS: [Row; 7] = [
    (
        "a personnummer through the BankID-like and the ID card",
        ("svc-a", "bankid", "astrid"),
        ("svc-a", "idcard", "astrid"),
        true,
    ),
    (
        "a coordination number through the BankID-like and the ID card",
        ("svc-a", "bankid", "dana"),
        ("svc-a", "idcard", "dana"),
        true,
    ),
    (
        "an employee through the workplace and the BankID-like",
        ("svc-a", "work", "eva"),
        ("svc-a", "bankid", "eva"),
        true,
    ),
    (
        "a newcomer's document-bound key, twice",
        ("svc-a", "idcard", "amina"),
        ("svc-a", "idcard", "amina"),
        true,
    ),
    (
        "two sectors",
        ("svc-a", "bankid", "astrid"),
        ("svc-b", "bankid", "astrid"),
        false,
    ),
    (
        "two sectors, through two upstreams",
        ("svc-a", "idcard", "astrid"),
        ("svc-b", "bankid", "astrid"),
        false,
    ),
    (
        "two persons",
        ("svc-a", "bankid", "astrid"),
        ("svc-a", "bankid", "bertil"),
        false,
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_same_person_through_two_upstreams_gets_the_same_sub_per_sector() {
    for mode in ["store", "no_store"] {
        let clients = vec![
            everything("svc-a").extra("sector = \"a.example\""),
            everything("svc-b").extra("sector = \"b.example\""),
        ];
        let world = World::start(all_upstreams(), clients, mode).await;
        for (what, first, second, same) in ROWS {
            let one = sub(&world, first.0, first.1, first.2).await;
            let two = sub(&world, second.0, second.1, second.2).await;
            assert_eq!(one == two, same, "{mode}: {what}: {one} / {two}");
        }
    }
}

/// The no-store mode keeps no single sign-on session either: after a login, the same browser's
/// `prompt=none` is answered with `login_required`, and the ID token carries no `sid`; with the
/// store, the session answers silently.
#[tokio::test(flavor = "multi_thread")]
async fn the_no_store_mode_keeps_no_session_about_the_person() {
    for (mode, silent) in [("store", true), ("no_store", false)] {
        let world = World::start(all_upstreams(), vec![everything("svc-a")], mode).await;
        let rp = world.rp("svc-a");
        let upstream = [("https://id.oidc.se/param/authnProvider", "bankid")];
        let done = rp.login(&upstream, &Journey::person("astrid")).await;
        let verified = rp.verify(&world, &done, None).await;
        assert_eq!(verified.claims().contains_key("sid"), silent, "{mode}");
        let again = rp
            .login(
                &[upstream[0], ("prompt", "none")],
                &Journey::person("astrid"),
            )
            .await;
        assert_eq!(again.upstream_logins, 0, "{mode}");
        if silent {
            assert!(again.code_returned, "{mode}: {:?}", again.error);
        } else {
            assert_eq!(again.error.as_deref(), Some("login_required"), "{mode}");
            assert!(!again.code_returned);
        }
    }
}
