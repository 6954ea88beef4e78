//! The chat's widgets, conversations and transcripts, on both backends.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::Role;
use touchpoints_core::request::RequestAction;
use touchpoints_store::{
    ChatAuthor, ChatWidget, NewChatMessage, NewConversation, Store, StoreError,
};

use crate::harness::{assert_audited, audit_mark, fields, user};
use crate::requests::request;

store_suite!(
    chat_widgets_are_kept_per_touchpoint_and_audited,
    chat_conversation_from_bot_to_person_to_purge,
);

async fn chat_touchpoint(store: &dyn Store) -> i64 {
    store
        .create_touchpoint(&fields("Website-Chat", "chat", "after-purchase"), "t")
        .await
        .expect("create touchpoint")
        .id
}

async fn chat_widgets_are_kept_per_touchpoint_and_audited(store: &dyn Store) {
    let touchpoint = chat_touchpoint(store).await;
    assert_eq!(store.chat_widget(touchpoint).await.expect("read"), None);
    let mark = audit_mark(store).await;
    let widget = ChatWidget {
        touchpoint_id: touchpoint,
        origins: vec![
            "https://shop.example".into(),
            "http://localhost:8080".into(),
        ],
        enabled: true,
    };
    store.put_chat_widget(&widget, "mara").await.expect("save");
    assert_audited(
        store,
        mark,
        "chat.widget",
        "mara",
        "touchpoint",
        &touchpoint.to_string(),
    )
    .await;
    assert_eq!(
        store.chat_widget(touchpoint).await.expect("read"),
        Some(widget.clone())
    );
    let off = ChatWidget {
        enabled: false,
        ..widget
    };
    store.put_chat_widget(&off, "mara").await.expect("replace");
    assert_eq!(
        store.chat_widgets().await.expect("list"),
        std::slice::from_ref(&off)
    );
    let missing = ChatWidget {
        touchpoint_id: touchpoint + 1000,
        ..off
    };
    assert!(matches!(
        store.put_chat_widget(&missing, "mara").await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn chat_conversation_from_bot_to_person_to_purge(store: &dyn Store) {
    let touchpoint = chat_touchpoint(store).await;
    user(store, "carla", Role::Agent).await;
    let started = Timestamp::now();
    let conversation = store
        .start_chat(&NewConversation {
            token_hash: "a".repeat(64),
            touchpoint_id: touchpoint,
            language: "de".into(),
            origin: "https://shop.example".into(),
            at: started,
        })
        .await
        .expect("start");
    let same = store
        .chat_by_token(&"a".repeat(64))
        .await
        .expect("by token")
        .expect("found");
    assert_eq!(same, conversation);
    assert_eq!(
        store.chat_by_token(&"b".repeat(64)).await.expect("read"),
        None
    );

    let source = serde_json::json!({"kind": "fact", "key": "return-period"});
    let added = store
        .add_chat_messages(
            conversation.id,
            &[
                NewChatMessage {
                    author: ChatAuthor::Customer,
                    body: "Wie lange kann ich zurückgeben?".into(),
                    source: None,
                },
                NewChatMessage {
                    author: ChatAuthor::Bot,
                    body: "Rückgabefrist: 30 Tage".into(),
                    source: Some(source.clone()),
                },
            ],
            started,
        )
        .await
        .expect("messages");
    assert_eq!(added.len(), 2);
    let transcript = store
        .chat_messages(conversation.id, 0, 100)
        .await
        .expect("transcript");
    assert_eq!(transcript, added);
    assert_eq!(transcript[1].source, Some(source));
    assert_eq!(
        store
            .chat_messages(conversation.id, added[0].id, 100)
            .await
            .expect("after the first")
            .len(),
        1
    );

    // The handover opens a request; what the customer writes then reaches it too.
    let mut new = request("chat", Some("anna@example.de"), None, "Transkript");
    new.touchpoint_id = Some(touchpoint);
    new.external_id = Some(format!("chat:{}", conversation.id));
    let opened = store.intake(&[new], "chat").await.expect("intake")[0].id;
    let linked = store
        .link_chat_request(conversation.id, opened, true, started)
        .await
        .expect("link");
    assert_eq!((linked.request_id, linked.by_email), (Some(opened), true));
    assert_eq!(
        store
            .chat_of_request(opened)
            .await
            .expect("read")
            .map(|c| c.id),
        Some(conversation.id)
    );
    store
        .add_chat_messages(
            conversation.id,
            &[NewChatMessage {
                author: ChatAuthor::Customer,
                body: "Hallo, ist da jemand?".into(),
                source: None,
            }],
            started,
        )
        .await
        .expect("after the handover");
    let on_request = store
        .request_messages(opened)
        .await
        .expect("request messages");
    assert!(
        on_request
            .iter()
            .any(|m| m.kind == "customer" && m.body == "Hallo, ist da jemand?"),
        "{on_request:?}"
    );

    // An agent's reply joins the transcript; resolving the request ends the conversation.
    store
        .act(
            opened,
            &RequestAction::Reply {
                body: "Guten Tag, ich bin für Sie da.".into(),
            },
            "carla",
        )
        .await
        .expect("reply");
    let transcript = store
        .chat_messages(conversation.id, 0, 100)
        .await
        .expect("transcript");
    let last = transcript.last().expect("a message");
    assert_eq!(
        (last.author, last.agent.as_deref(), last.body.as_str()),
        (
            ChatAuthor::Agent,
            Some("carla"),
            "Guten Tag, ich bin für Sie da."
        )
    );
    store
        .act(opened, &RequestAction::Resolve, "carla")
        .await
        .expect("resolve");
    let closed = store
        .chat_by_token(&"a".repeat(64))
        .await
        .expect("read")
        .expect("found");
    assert!(closed.closed_at.is_some());
    assert_eq!((closed.bot_answers, closed.customer_messages), (1, 2));
    store
        .rate_chat(conversation.id, 5, started)
        .await
        .expect("rate");
    store
        .rate_chat(conversation.id, 4, started)
        .await
        .expect("rate again");

    let figures = store
        .chat_figures(
            started - SignedDuration::from_hours(1),
            started + SignedDuration::from_hours(1),
        )
        .await
        .expect("figures");
    assert_eq!(
        (
            figures.conversations,
            figures.with_questions,
            figures.handed_over,
            figures.answered_by_bot
        ),
        (1, 1, 1, 0)
    );

    let mark = audit_mark(store).await;
    assert_eq!(
        store
            .purge_chats(started, "system")
            .await
            .expect("purge nothing"),
        0
    );
    assert_eq!(
        store
            .purge_chats(started + SignedDuration::from_secs(1), "system")
            .await
            .expect("purge"),
        1
    );
    assert_audited(store, mark, "chat.purge", "system", "chat", "").await;
    assert_eq!(
        store.chat_by_token(&"a".repeat(64)).await.expect("read"),
        None
    );
    assert!(
        store
            .chat_messages(conversation.id, 0, 100)
            .await
            .expect("read")
            .is_empty()
    );
    store.request(opened).await.expect("the request stays");
}
