//! Every log line of this test process, captured: a global tracing subscriber writing JSON at
//! the most verbose level (hyper at debug, as `eid-broker`'s own log scan does) to a buffer
//! that the log scan reads. Installed once, before the first broker or mock starts, so the
//! lines of every test of this binary (brokers, mocks, their HTTP clients) land in it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The captured log, shared by every writer.
#[derive(Clone, Debug, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

static CAPTURE: OnceLock<Buffer> = OnceLock::new();

/// Installs the capturing subscriber (once per process) and returns its buffer.
pub fn capture() -> &'static Buffer {
    CAPTURE.get_or_init(|| {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_env_filter(EnvFilter::new(
                "trace,hyper=debug,hyper_util=debug,h2=debug",
            ))
            .with_writer(buffer.clone())
            .finish();
        subscriber
            .try_init()
            .expect("no other global subscriber in this test binary");
        buffer
    })
}

/// Everything logged so far.
pub fn text() -> String {
    let bytes = capture()
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    String::from_utf8(bytes).expect("the JSON log is UTF-8")
}
