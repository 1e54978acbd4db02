//! Logout: a person logged in to two e-services through the broker's single sign-on, RP-initiated
//! logout at one of them → the upstream's end-session endpoint is visited and the person comes
//! back through the broker to the e-service; both e-services get a signed back-channel logout
//! token for the session; afterwards `prompt=none` fails at both and the next login asks the
//! person at the upstream again.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eid_core::jose::JwsAlgorithm;
use serde_json::Value;

use crate::rp::Journey;
use crate::world::level::LOA3;
use crate::world::{ClientSpec, RP_LOGGED_OUT, World, all_upstreams};

fn part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// Checks a logout token as its receiver must (Back-Channel Logout 1.0 §2.6): signed by the
/// broker's key, `typ` `logout+jwt`, issuer, audience, the event, the session, no nonce.
async fn check_logout_token(world: &World, token: &str, client: &str, sid: &Value, sub: &str) {
    let header = part(token, 0);
    assert_eq!(header["typ"], "logout+jwt", "{header}");
    assert_eq!(header["alg"], "ES256", "{header}");
    let jwks = world.jwks().await;
    let key = jwks
        .find(header["kid"].as_str().unwrap())
        .unwrap()
        .verifying_key(JwsAlgorithm::Es256)
        .unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    key.verify(
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    )
    .unwrap();
    let claims = part(token, 1);
    assert_eq!(claims["iss"], world.broker_url.as_str(), "{claims}");
    let audience_is_client = claims["aud"] == client
        || claims["aud"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == client));
    assert!(audience_is_client, "{claims}");
    assert!(
        claims["events"]
            .get("http://schemas.openid.net/event/backchannel-logout")
            .is_some(),
        "{claims}"
    );
    assert!(claims.get("nonce").is_none(), "{claims}");
    assert!(
        claims["jti"].is_string() && claims["iat"].is_u64(),
        "{claims}"
    );
    // The session of the ID tokens, and the client's own `sub` if named.
    if !sid.is_null() {
        assert_eq!(&claims["sid"], sid, "{claims}");
    }
    if let Some(named) = claims.get("sub") {
        assert_eq!(named, sub, "{claims}");
    }
    assert!(
        claims.get("sid").is_some() || claims.get("sub").is_some(),
        "{claims}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_is_propagated_upstream_and_back_channel_to_every_e_service_of_the_session() {
    let clients = vec![
        ClientSpec::new("svc-a", &[LOA3], "exact").with_backchannel(),
        ClientSpec::new("svc-b", &[LOA3], "exact").with_backchannel(),
        ClientSpec::new("svc-c", &[LOA3], "exact").with_backchannel(),
    ];
    let world = World::start(all_upstreams(), clients, "store").await;
    let upstream = [("https://id.oidc.se/param/authnProvider", "bankid")];

    // One browser at two e-services: the second login is single sign-on.
    let a = world.rp("svc-a");
    let at_a = a.login(&upstream, &Journey::person("astrid")).await;
    assert_eq!(at_a.upstream_logins, 1);
    let b = a.as_client("svc-b");
    let at_b = b.login(&upstream, &Journey::person("astrid")).await;
    assert_eq!(at_b.upstream_logins, 0, "single sign-on");
    let token_a = a.verify(&world, &at_a, None).await;
    let token_b = b.verify(&world, &at_b, None).await;
    let sid = token_a.claims().get("sid").cloned().unwrap_or(Value::Null);
    assert_eq!(
        token_b.claims().get("sid").cloned().unwrap_or(Value::Null),
        sid
    );
    // Another person's session at svc-c, in another browser: not touched by this logout.
    let c = world.rp("svc-c");
    let at_c = c.login(&upstream, &Journey::person("bertil")).await;
    assert!(at_c.id_token.is_some());

    // RP-initiated logout at svc-a.
    let visited = a.logout(at_a.id_token.as_deref().unwrap()).await;
    let mock = world
        .mock("bankid")
        .issuer()
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let end_session = visited
        .iter()
        .find(|url| url.as_str().starts_with(&mock))
        .unwrap_or_else(|| {
            panic!("the upstream's end-session endpoint was not visited: {visited:?}")
        });
    let hint = end_session
        .query_pairs()
        .find(|(name, _)| name == "id_token_hint")
        .map(|(_, value)| value.into_owned())
        .unwrap();
    assert_eq!(
        part(&hint, 1)["iss"]
            .as_str()
            .map(|s| s.trim_end_matches('/')),
        Some(mock.as_str()),
        "the hint is the upstream's own ID token"
    );
    assert!(
        visited
            .iter()
            .any(|url| url.path() == "/upstream/logged-out"),
        "back through the broker: {visited:?}"
    );
    assert!(visited.last().unwrap().as_str().starts_with(RP_LOGGED_OUT));

    // Back-channel: both e-services of the session, each with its own token.
    let mut delivered = [
        world.backchannel.next().await,
        world.backchannel.next().await,
    ];
    delivered.sort();
    assert_eq!(delivered[0].0, "svc-a");
    assert_eq!(delivered[1].0, "svc-b");
    check_logout_token(&world, &delivered[0].1, "svc-a", &sid, token_a.subject()).await;
    check_logout_token(&world, &delivered[1].1, "svc-b", &sid, token_b.subject()).await;

    // The session is gone at the broker: prompt=none fails at both e-services.
    for rp in [&a, &b] {
        let silent = rp
            .login(&[("prompt", "none"), upstream[0]], &Journey::default())
            .await;
        assert_eq!(
            silent.error.as_deref(),
            Some("login_required"),
            "{}",
            rp.client_id
        );
        assert!(!silent.code_returned);
        assert_eq!(silent.upstream_logins, 0);
    }
    // And at the upstream: the next login asks the person there again.
    let again = a.login(&upstream, &Journey::person("astrid")).await;
    assert_eq!(again.upstream_logins, 1);
    assert_eq!(
        a.verify(&world, &again, None).await.subject(),
        token_a.subject()
    );
    // The other browser's session stands, and svc-c was not told anything.
    let still = c
        .login(&[("prompt", "none"), upstream[0]], &Journey::default())
        .await;
    assert!(still.id_token.is_some(), "{:?}", still.error);
    assert!(world.backchannel.is_empty().await);
}
