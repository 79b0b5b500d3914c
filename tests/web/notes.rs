//! Browser tests: internal notes on an order.

use super::helpers::*;
use kassa_app::components::NoteForm;
use kassa_model::api::NewNote;

#[wasm_bindgen_test]
async fn an_empty_note_is_refused_here_and_a_written_one_is_sent() {
    let root = fresh_section();
    let sent = RwSignal::new(Vec::<NewNote>::new());
    let error = RwSignal::new(None::<ClientError>);
    let _handle = mount_to(root.clone(), move || {
        view! { <NoteForm on_submit=move |n| sent.update(|s| s.push(n)) error=error/> }
    });
    tick().await;
    type_into(&root, "note-text", "   ");
    click(&root, "note-submit");
    tick().await;
    assert_eq!(text(&root, "note-error"), "Write the note first.");
    assert!(sent.get_untracked().is_empty(), "nothing is sent");

    type_into(&root, "note-text", "Customer called: ship after the 12th.");
    click(&root, "note-submit");
    tick().await;
    assert_eq!(
        sent.get_untracked(),
        [NewNote {
            text: "Customer called: ship after the 12th.".into()
        }]
    );
    assert!(try_by_testid(&root, "note-error").is_none());

    // The proxy's refusal is shown where the note is written.
    error.set(Some(http_error(403, "forbidden")));
    tick().await;
    assert_eq!(text(&root, "note-error"), "forbidden from the proxy");
}
