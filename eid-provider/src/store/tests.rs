use std::sync::Arc;
use std::time::Duration;

use eid_core::clock::{Clock as _, ManualClock, UnixTime};
use ring::rand::SystemRandom;

use super::*;
use crate::client::{ClientId, RedirectUri};
use crate::pkce::CodeChallenge;
use crate::secret::{AccessToken, AuthorizationCode, RefreshToken, RequestHandle};

const T0: UnixTime = UnixTime::from_secs(1_700_000_000);
const MINUTE: Duration = Duration::from_secs(60);

fn client_id() -> ClientId {
    "e-service".parse().unwrap()
}

fn grant(rng: &SystemRandom) -> CodeGrant {
    CodeGrant::new(
        GrantId::generate(rng).unwrap(),
        client_id(),
        "https://e-service.example/cb"
            .parse::<RedirectUri>()
            .unwrap(),
        CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM").unwrap(),
        "subject-1".to_owned(),
        T0,
    )
}

fn code(rng: &SystemRandom) -> SecretDigest {
    AuthorizationCode::generate(rng).unwrap().digest()
}

#[tokio::test]
async fn a_code_is_taken_once_and_its_grant_remembered_until_expiry() {
    let rng = SystemRandom::new();
    let store = MemoryStore::new();
    let code = code(&rng);
    let grant = grant(&rng);
    let grant_id = grant.grant_id().clone();
    store.put_code(&code, grant, T0, MINUTE).await.unwrap();

    assert_eq!(store.used_code_grant(&code, T0).await.unwrap(), None);
    let taken = store.take_code(&code, T0).await.unwrap().unwrap();
    assert_eq!(taken.grant_id, grant_id);
    assert_eq!(taken.subject, "subject-1");
    assert!(store.take_code(&code, T0).await.unwrap().is_none());
    let later = T0.saturating_add(Duration::from_secs(59));
    assert_eq!(
        store.used_code_grant(&code, later).await.unwrap(),
        Some(grant_id)
    );
    // Once the code would have expired, even the marker is gone.
    let expired = T0.saturating_add(MINUTE);
    assert_eq!(store.used_code_grant(&code, expired).await.unwrap(), None);
    assert!(store.is_empty());
}

#[tokio::test]
async fn an_expired_code_cannot_be_taken() {
    let rng = SystemRandom::new();
    let clock = ManualClock::new(T0);
    let store = MemoryStore::new();
    let code = code(&rng);
    store
        .put_code(&code, grant(&rng), clock.now(), MINUTE)
        .await
        .unwrap();
    clock.advance(MINUTE); // expiry is exclusive: at `now + ttl` it is gone
    assert!(store.take_code(&code, clock.now()).await.unwrap().is_none());
    assert_eq!(
        store.used_code_grant(&code, clock.now()).await.unwrap(),
        None
    );
    // An unknown code is simply absent.
    assert!(store.take_code(&code, clock.now()).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_takes_of_one_code_have_exactly_one_winner() {
    let rng = SystemRandom::new();
    for _ in 0..20 {
        let store = Arc::new(MemoryStore::new());
        let code = code(&rng);
        store
            .put_code(&code, grant(&rng), T0, MINUTE)
            .await
            .unwrap();
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.take_code(&code, T0).await.unwrap().is_some() })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            winners += usize::from(task.await.unwrap());
        }
        assert_eq!(winners, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_replay_inserts_have_exactly_one_winner() {
    let store = Arc::new(MemoryStore::new());
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.insert_if_absent("jti-1", T0, MINUTE).await.unwrap() })
        })
        .collect();
    let mut winners = 0;
    for task in tasks {
        winners += usize::from(task.await.unwrap());
    }
    assert_eq!(winners, 1);
}

#[tokio::test]
async fn replay_cache_remembers_until_ttl() {
    let store = MemoryStore::new();
    assert!(store.insert_if_absent("a", T0, MINUTE).await.unwrap());
    assert!(!store.insert_if_absent("a", T0, MINUTE).await.unwrap());
    assert!(store.insert_if_absent("b", T0, MINUTE).await.unwrap());
    let later = T0.saturating_add(Duration::from_secs(59));
    assert!(!store.insert_if_absent("a", later, MINUTE).await.unwrap());
    let expired = T0.saturating_add(MINUTE);
    assert!(store.insert_if_absent("a", expired, MINUTE).await.unwrap());
}

#[tokio::test]
async fn pushed_requests_can_be_read_until_taken_or_expired() {
    let rng = SystemRandom::new();
    let store = MemoryStore::new();
    let handle = RequestHandle::generate(&rng).unwrap().digest();
    let mut parameters = std::collections::BTreeMap::new();
    parameters.insert("scope".to_owned(), "openid".to_owned());
    let request = PushedRequest::new(client_id(), parameters);
    store
        .put_request(&handle, request.clone(), T0, MINUTE)
        .await
        .unwrap();
    // A reload of the login page reads it again.
    for _ in 0..2 {
        let read = store.request(&handle, T0).await.unwrap().unwrap();
        assert_eq!(read.client_id(), &client_id());
    }
    assert!(store.take_request(&handle, T0).await.unwrap().is_some());
    assert!(store.request(&handle, T0).await.unwrap().is_none());
    assert!(store.take_request(&handle, T0).await.unwrap().is_none());

    store
        .put_request(&handle, request, T0, MINUTE)
        .await
        .unwrap();
    let expired = T0.saturating_add(MINUTE);
    assert!(store.request(&handle, expired).await.unwrap().is_none());
    assert!(store.is_empty());
}

#[tokio::test]
async fn transactions_and_sessions_expire() {
    let rng = SystemRandom::new();
    let store = MemoryStore::new();
    let id = TransactionId::generate(&rng).unwrap();
    let transaction = AuthorizationTransaction::new(
        client_id(),
        "https://e-service.example/cb".parse().unwrap(),
        CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM").unwrap(),
        T0,
    );
    store
        .put_transaction(&id, transaction, T0, MINUTE)
        .await
        .unwrap();
    let presented = TransactionId::from_presented(id.expose_secret()).unwrap();
    assert!(store.transaction(&presented, T0).await.unwrap().is_some());
    assert!(
        store
            .take_transaction(&presented, T0)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .take_transaction(&presented, T0)
            .await
            .unwrap()
            .is_none()
    );

    let session_id = SessionId::generate(&rng).unwrap();
    let session = Session::new("sid-1".to_owned(), "person-1".to_owned(), T0);
    let hour = Duration::from_secs(3600);
    store
        .put_session(&session_id, session, T0, hour)
        .await
        .unwrap();
    let before = T0.saturating_add(Duration::from_secs(3599));
    assert_eq!(
        store
            .session(&session_id, before)
            .await
            .unwrap()
            .unwrap()
            .sid,
        "sid-1"
    );
    assert!(
        store
            .session(&session_id, T0.saturating_add(hour))
            .await
            .unwrap()
            .is_none()
    );
    let session = Session::new("sid-2".to_owned(), "person-1".to_owned(), T0);
    store
        .put_session(&session_id, session, T0, hour)
        .await
        .unwrap();
    assert!(
        store
            .remove_session(&session_id, T0)
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.session(&session_id, T0).await.unwrap().is_none());
}

#[tokio::test]
async fn tokens_of_a_grant_are_revoked_together() {
    let rng = SystemRandom::new();
    let store = MemoryStore::new();
    let grant_a = GrantId::generate(&rng).unwrap();
    let grant_b = GrantId::generate(&rng).unwrap();
    let expires = T0.saturating_add(MINUTE);
    let mut a_tokens = Vec::new();
    for _ in 0..3 {
        let digest = AccessToken::generate(&rng).unwrap().digest();
        let token = StoredAccessToken::new(grant_a.clone(), client_id(), "s".into(), T0, expires);
        store
            .put_access_token(&digest, token, T0, MINUTE)
            .await
            .unwrap();
        a_tokens.push(digest);
    }
    let b_token = AccessToken::generate(&rng).unwrap().digest();
    let token = StoredAccessToken::new(grant_b.clone(), client_id(), "s".into(), T0, expires);
    store
        .put_access_token(&b_token, token, T0, MINUTE)
        .await
        .unwrap();
    // One token of A is revoked on its own first: it is not counted again.
    assert!(store.revoke_access_token(&a_tokens[0], T0).await.unwrap());
    assert!(!store.revoke_access_token(&a_tokens[0], T0).await.unwrap());
    assert_eq!(
        store.revoke_access_tokens_of(&grant_a, T0).await.unwrap(),
        2
    );
    for digest in &a_tokens {
        assert!(store.access_token(digest, T0).await.unwrap().is_none());
    }
    assert!(store.access_token(&b_token, T0).await.unwrap().is_some());
    assert_eq!(
        store.revoke_access_tokens_of(&grant_a, T0).await.unwrap(),
        0
    );

    let refresh = RefreshToken::generate(&rng).unwrap().digest();
    let token = StoredRefreshToken::new(grant_b.clone(), client_id(), "s".into(), T0, expires);
    store
        .put_refresh_token(&refresh, token, T0, MINUTE)
        .await
        .unwrap();
    assert!(store.refresh_token(&refresh, T0).await.unwrap().is_some());
    assert_eq!(
        store.revoke_refresh_tokens_of(&grant_b, T0).await.unwrap(),
        1
    );
    assert!(
        store
            .take_refresh_token(&refresh, T0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.revoke_access_tokens_of(&grant_b, T0).await.unwrap(),
        1
    );
    assert!(store.is_empty());
}

#[tokio::test]
async fn expired_tokens_are_not_served_nor_counted() {
    let rng = SystemRandom::new();
    let store = MemoryStore::new();
    let grant = GrantId::generate(&rng).unwrap();
    let refresh = RefreshToken::generate(&rng).unwrap().digest();
    let token = StoredRefreshToken::new(grant.clone(), client_id(), "s".into(), T0, T0);
    store
        .put_refresh_token(&refresh, token, T0, MINUTE)
        .await
        .unwrap();
    let expired = T0.saturating_add(MINUTE);
    assert!(
        store
            .refresh_token(&refresh, expired)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .revoke_refresh_tokens_of(&grant, expired)
            .await
            .unwrap(),
        0
    );
    assert!(store.is_empty());
}

#[tokio::test]
async fn a_full_table_refuses_writes_until_entries_expire() {
    let rng = SystemRandom::new();
    let store = MemoryStore::with_capacity(10);
    for _ in 0..10 {
        store
            .put_code(&code(&rng), grant(&rng), T0, MINUTE)
            .await
            .unwrap();
    }
    let refused = store.put_code(&code(&rng), grant(&rng), T0, MINUTE).await;
    assert!(matches!(
        refused,
        Err(StoreError::CapacityExceeded {
            kind: StoreKind::Code,
            capacity: 10
        })
    ));
    assert_eq!(refused.unwrap_err().reason(), "store_capacity_exceeded");
    // Replacing an existing key is not growth.
    let known = code(&rng);
    let store = MemoryStore::with_capacity(1);
    store
        .put_code(&known, grant(&rng), T0, MINUTE)
        .await
        .unwrap();
    store
        .put_code(&known, grant(&rng), T0, MINUTE)
        .await
        .unwrap();
    assert_eq!(store.len(), 1);
    // Other kinds have their own capacity.
    assert!(store.insert_if_absent("jti", T0, MINUTE).await.unwrap());
    assert!(matches!(
        store.insert_if_absent("jti-2", T0, MINUTE).await,
        Err(StoreError::CapacityExceeded {
            kind: StoreKind::Replay,
            ..
        })
    ));
    // Once the entries expired, the write sweeps them and succeeds.
    let later = T0.saturating_add(MINUTE);
    assert!(
        store
            .insert_if_absent("jti-2", later, MINUTE)
            .await
            .unwrap()
    );
    store
        .put_code(&code(&rng), grant(&rng), later, MINUTE)
        .await
        .unwrap();
    assert_eq!(store.len(), 2);
}

#[tokio::test]
async fn writes_sweep_expired_entries_so_the_store_does_not_grow() {
    let clock = ManualClock::new(T0);
    let store = MemoryStore::new();
    let second = Duration::from_secs(1);
    // A steady stream of short-lived entries, none ever read again.
    for i in 0..5_000 {
        store
            .insert_if_absent(&format!("jti-{i}"), clock.now(), Duration::from_secs(10))
            .await
            .unwrap();
        if i % 10 == 9 {
            clock.advance(second);
        }
    }
    // Ten per second for ten seconds are live; everything older has been swept.
    assert!(store.len() <= 110, "{} entries", store.len());

    // A backlog of expired entries shrinks by at most SWEEP_BUDGET per write.
    let store = MemoryStore::new();
    for i in 0..100 {
        store
            .insert_if_absent(&format!("old-{i}"), T0, second)
            .await
            .unwrap();
    }
    let later = T0.saturating_add(MINUTE);
    store.insert_if_absent("new", later, second).await.unwrap();
    assert_eq!(store.len(), 100 - SWEEP_BUDGET + 1);
}

#[test]
fn values_round_trip_through_json_and_hide_personal_data() {
    let rng = SystemRandom::new();
    let mut grant = grant(&rng);
    grant.nonce = Some("n-0S6_WzA2Mj".to_owned());
    grant
        .claims
        .insert("birthdate".to_owned(), serde_json::json!("1990-01-01"));
    let json = serde_json::to_string(&grant).unwrap();
    let back: CodeGrant = serde_json::from_str(&json).unwrap();
    assert_eq!(back.grant_id, grant.grant_id);
    assert_eq!(back.auth_time, T0);
    assert_eq!(back.code_challenge, grant.code_challenge);
    assert_eq!(back.claims, grant.claims);

    let debug = format!("{grant:?}");
    assert!(!debug.contains("subject-1"), "{debug}");
    assert!(!debug.contains("1990"), "{debug}");
    assert!(!debug.contains("n-0S6"), "{debug}");
    let session_id = SessionId::generate(&rng).unwrap();
    assert_eq!(format!("{session_id:?}"), "SessionId([redacted])");

    assert!(serde_json::from_str::<GrantId>("\"\"").is_err());
    assert!(
        serde_json::from_str::<CodeGrant>(
            &json.replace("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "short")
        )
        .is_err()
    );
}

#[test]
fn store_error_reasons_are_stable() {
    let error = StoreError::Unavailable {
        kind: StoreKind::Session,
        source: "connection refused".into(),
    };
    assert_eq!(error.reason(), "store_unavailable");
    assert_eq!(error.to_string(), "the session store is unavailable");
    let json_error = serde_json::from_str::<u8>("x").unwrap_err();
    let error = StoreError::Serialization {
        kind: StoreKind::Code,
        source: json_error,
    };
    assert_eq!(error.reason(), "store_serialization");
}

#[tokio::test]
async fn a_replayed_code_revokes_every_token_of_its_grant_through_trait_objects() {
    let rng = SystemRandom::new();
    let memory = Arc::new(MemoryStore::new());
    let codes: Arc<dyn CodeStore> = memory.clone();
    let access: Arc<dyn AccessTokenStore> = memory.clone();
    let refresh: Arc<dyn RefreshTokenStore> = memory;

    let code = code(&rng);
    codes
        .put_code(&code, grant(&rng), T0, MINUTE)
        .await
        .unwrap();
    // First redemption: tokens are issued under the code's grant.
    let grant = codes.take_code(&code, T0).await.unwrap().unwrap();
    let expires = T0.saturating_add(MINUTE);
    let access_digest = AccessToken::generate(&rng).unwrap().digest();
    let token = StoredAccessToken::new(
        grant.grant_id.clone(),
        grant.client_id.clone(),
        grant.subject.clone(),
        T0,
        expires,
    );
    access
        .put_access_token(&access_digest, token, T0, MINUTE)
        .await
        .unwrap();
    let refresh_digest = RefreshToken::generate(&rng).unwrap().digest();
    let token = StoredRefreshToken::new(
        grant.grant_id.clone(),
        grant.client_id.clone(),
        grant.subject.clone(),
        grant.auth_time,
        T0.saturating_add(Duration::from_secs(3600)),
    );
    refresh
        .put_refresh_token(&refresh_digest, token, T0, Duration::from_secs(3600))
        .await
        .unwrap();

    // Second redemption: no grant, but the replay is detected and traced to the grant.
    let later = T0.saturating_add(Duration::from_secs(5));
    assert!(codes.take_code(&code, later).await.unwrap().is_none());
    let replayed = codes.used_code_grant(&code, later).await.unwrap().unwrap();
    assert_eq!(
        access
            .revoke_access_tokens_of(&replayed, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        refresh
            .revoke_refresh_tokens_of(&replayed, later)
            .await
            .unwrap(),
        1
    );
    assert!(
        access
            .access_token(&access_digest, later)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        refresh
            .refresh_token(&refresh_digest, later)
            .await
            .unwrap()
            .is_none()
    );
}
