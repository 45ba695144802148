//! Lock-screen notification text (`careguard::sending`).

use core::ffi::c_char;

use careguard::envelope::format::split;
use careguard::sending::{NotificationDetail, NotificationPolicy, notification_text};

use crate::args::{bytes_arg, c_string, str_arg};
use crate::buffer::out_arg;
use crate::error::{FfiError, guard};
use crate::status::CgStatus;

/// How much a lock-screen notification may say (`cg_notification_text`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgNotificationDetail {
    /// "New message" only.
    Generic = 0,
    /// "New message in Ward 7".
    Conversation = 1,
    /// "New message from Dr A Clinician in Ward 7".
    ConversationAndSender = 2,
}

/// The lock-screen text for a sealed envelope, as a new NUL-terminated string in `*out`
/// (free it with `cg_string_free`). Only the envelope's header is read (its content type,
/// mapped to a fixed word), never the payload; `conversation` and `sender` are the app's
/// labels (UTF-8, may be NULL with length 0), shown as `detail` allows, with control and
/// bidi characters removed and cut to 32 characters.
///
/// Errors: `CG_STATUS_TRUNCATED` or `CG_STATUS_MALFORMED` (not an envelope),
/// `CG_STATUS_INVALID_UTF8`, `CG_STATUS_INVALID_ARGUMENT` (an unknown `detail`),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is writable for one
/// `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_notification_text(
    envelope: *const u8,
    envelope_len: usize,
    detail: u32,
    conversation: *const c_char,
    conversation_len: usize,
    sender: *const c_char,
    sender_len: usize,
    out: *mut *mut c_char,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, envelope, conversation, sender) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(envelope, envelope_len, "envelope")?,
                str_arg(conversation, conversation_len, "conversation")?,
                str_arg(sender, sender_len, "sender")?,
            )
        };
        out.write(core::ptr::null_mut());
        let detail = match detail {
            0 => NotificationDetail::Generic,
            1 => NotificationDetail::Conversation,
            2 => NotificationDetail::ConversationAndSender,
            other => {
                return Err(FfiError::new(
                    CgStatus::InvalidArgument,
                    format!("`detail` {other} is not a cg_notification_detail"),
                ));
            }
        };
        let header = split(envelope)?.header;
        let policy = NotificationPolicy::new(detail)
            .with_conversation(conversation)
            .with_sender(sender);
        let text = notification_text(&header, &policy).replace('\0', "");
        out.write(c_string(&text)?.into_raw());
        Ok(())
    })
}
