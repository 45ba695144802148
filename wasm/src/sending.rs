//! Lock-screen notification text (`careguard::sending`), as the C ABI's
//! `cg_notification_text`.

use careguard::envelope::format::split;
use careguard::sending::{NotificationDetail, NotificationPolicy};
use wasm_bindgen::prelude::*;

use crate::convert::{bytes, text};
use crate::error::{Failure, IntoJs};

/// The lock-screen text for a sealed envelope, e.g. "New message in Ward 7". Only the
/// envelope's header is read, never the payload. `detail` is `generic`, `conversation` or
/// `conversation_and_sender`; `conversation` and `sender` are the app's labels (`''` for
/// none). Throws `truncated` or `malformed` (not an envelope) or `invalid_argument`.
#[wasm_bindgen(js_name = notificationText)]
pub fn notification_text(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] envelope: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "'generic' | 'conversation' | 'conversation_and_sender'"
    )]
    detail: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] conversation: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] sender: JsValue,
) -> Result<String, JsValue> {
    const OP: &str = "notificationText";
    let envelope = bytes(OP, "envelope", &envelope)?;
    let detail = match text(OP, "detail", &detail)?.as_str() {
        "generic" => NotificationDetail::Generic,
        "conversation" => NotificationDetail::Conversation,
        "conversation_and_sender" => NotificationDetail::ConversationAndSender,
        _ => {
            return Err(Failure::new(
                "invalid_argument",
                OP,
                "detail must be generic, conversation or conversation_and_sender",
            )
            .into());
        }
    };
    let conversation = text(OP, "conversation", &conversation)?;
    let sender = text(OP, "sender", &sender)?;
    let header = split(&envelope).js(OP)?.header;
    let policy = NotificationPolicy::new(detail)
        .with_conversation(&conversation)
        .with_sender(&sender);
    Ok(careguard::sending::notification_text(&header, &policy))
}
