//! Printers: one per output format, each fed by the [`Report`](crate::report::Report)
//! sink with masked records, then with the run's summary.

use std::io::{self, Write};

use crate::report::{FileSummary, OutputFormat, Shown, Summary};

pub mod csv;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod sarif;
pub mod text;

/// An output format.
pub trait Printer {
    /// An input starts.
    fn begin(&mut self, _out: &mut dyn Write, _file: &FileSummary) -> io::Result<()> {
        Ok(())
    }
    /// The findings of one line.
    fn record(&mut self, out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()>;
    /// An input ends (its counts are final).
    fn end(&mut self, _out: &mut dyn Write, _file: &FileSummary) -> io::Result<()> {
        Ok(())
    }
    /// The run ends.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The printer of `format`.
pub fn printer(format: OutputFormat) -> Box<dyn Printer> {
    match format {
        OutputFormat::Text => Box::new(text::Text::default()),
        OutputFormat::Jsonl => Box::new(jsonl::Jsonl::default()),
        OutputFormat::Json => Box::new(json::Json),
        OutputFormat::Sarif => Box::new(sarif::Sarif::default()),
        OutputFormat::Csv => Box::new(csv::Csv::default()),
        OutputFormat::Html => Box::new(html::Html::default()),
    }
}
