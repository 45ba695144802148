//! The engine of the `careguard` command-line tool: input walking, format recognition,
//! chat-export parsers (WhatsApp, Telegram, Teams), the scanning pipeline and the
//! printers. The `careguard` binary is a thin layer over it; the fuzz targets reach the
//! parsers through it too.
//!
//! Nothing here panics on any input: parsers check bounds and report bad input as
//! errors against the file's path.
#![forbid(unsafe_code)]

pub mod baseline;
pub mod chatjson;
pub mod config;
pub mod detector;
pub mod engine;
pub mod html;
pub mod input;
pub mod json;
pub mod print;
pub mod report;
pub mod unit;
pub mod whatsapp;
