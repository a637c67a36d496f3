//! The HTTP/1.1 connection layer of `handbok serve`: accepting on the
//! listener, a thread per connection up to a cap, reading each request
//! head under an idle timeout and a deadline, and writing responses.
//!
//! Why our own: tiny_http, used before, never timed out a read, so a
//! client that opened connections and sent nothing (or trickled its
//! request a byte at a time) held a thread and a socket each, forever.
//! Here a connection that is idle for [`Limits::idle`], or has not sent a
//! whole request head within [`Limits::head`] of starting it, is closed;
//! a response that the client does not read within [`Limits::write`] is
//! dropped; and past [`Limits::connections`] open connections a new one
//! gets `503` at once. Request heads are parsed by `httparse`.
//!
//! Knows nothing of the site: each request goes to a handler, which
//! answers it or takes the connection over (an event stream).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The bounds on what one client may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// How long a connection may wait for the first byte of a request.
    pub(crate) idle: Duration,
    /// How long a request head may take once its first byte came.
    pub(crate) head: Duration,
    /// How long writing a response (or an event) may block.
    pub(crate) write: Duration,
    /// How many connections may be open at once.
    pub(crate) connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle: Duration::from_secs(30),
            head: Duration::from_secs(10),
            write: Duration::from_secs(30),
            connections: 256,
        }
    }
}

/// The largest request head read; a longer one gets `431`.
const MAX_HEAD: usize = 16 * 1024;

/// One request: only what serve uses.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, …
    pub(crate) method: String,
    /// The request target as sent (`/a/b/?q`).
    pub(crate) target: String,
    /// The `Host` header, if any.
    pub(crate) host: Option<String>,
    /// True if the connection closes after the answer.
    close: bool,
}

/// A whole response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A response with a status, a media type and a body.
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the handler does with a request.
pub(crate) enum Answer {
    /// Sends this response (the connection may then carry more requests).
    Respond(Response),
    /// Takes the connection over (it closes when the function returns).
    TakeOver(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Answers requests.
pub(crate) type Handler = Arc<dyn Fn(&Request) -> Answer + Send + Sync>;

/// Accepts connections until `stopped` says so, then shuts the open ones
/// down and gives their threads to join (an event stream's ends when its
/// messages stop, which the caller arranges).
pub(crate) fn serve(
    listener: &TcpListener,
    limits: Limits,
    handler: &Handler,
    stopped: impl Fn() -> bool,
) -> std::io::Result<Vec<JoinHandle<()>>> {
    listener.set_nonblocking(true)?;
    let open: Arc<Mutex<Vec<(u64, TcpStream)>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let mut next_id = 0u64;
    while !stopped() {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            // Out of file descriptors, a connection reset before it was
            // accepted…: wait a little and go on; never stop serving.
            Err(e) => {
                tracing::warn!("serve: accepting a connection failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        threads.retain(|t| !t.is_finished());
        if count.load(Ordering::SeqCst) >= limits.connections {
            refuse(stream, limits);
            continue;
        }
        next_id += 1;
        if let Some(t) = start(stream, next_id, limits, handler, &open, &count) {
            threads.push(t);
        }
    }
    for (_, s) in lock(&open).iter() {
        let _ = s.shutdown(Shutdown::Both);
    }
    Ok(threads)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a connection thread panicked; the list of
    // streams is still whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the thread of one connection, registered in `open` (so a stop
/// can shut it down) and counted in `count` while it lives.
fn start(
    stream: TcpStream,
    id: u64,
    limits: Limits,
    handler: &Handler,
    open: &Arc<Mutex<Vec<(u64, TcpStream)>>>,
    count: &Arc<AtomicUsize>,
) -> Option<JoinHandle<()>> {
    let setup = stream
        .set_nonblocking(false)
        .and_then(|()| stream.set_write_timeout(Some(limits.write)))
        .and_then(|()| stream.try_clone());
    let Ok(registered) = setup else {
        return None;
    };
    lock(open).push((id, registered));
    count.fetch_add(1, Ordering::SeqCst);
    let (handler, open, count) = (handler.clone(), open.clone(), count.clone());
    Some(std::thread::spawn(move || {
        connection(stream, limits, &handler);
        lock(&open).retain(|(i, _)| *i != id);
        count.fetch_sub(1, Ordering::SeqCst);
    }))
}

/// The answer past the connection cap, written without waiting long.
fn refuse(mut stream: TcpStream, limits: Limits) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1).min(limits.write)));
    let busy = Response::new(
        503,
        "text/plain; charset=utf-8",
        b"503 Service Unavailable: too many open connections\n".to_vec(),
    );
    let _ = write_response(&mut stream, &busy, false, true);
}

/// Serves the requests of one connection until it closes, idles out or
/// breaks a limit.
fn connection(mut stream: TcpStream, limits: Limits, handler: &Handler) {
    let mut buffer: Vec<u8> = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buffer, limits) {
            Head::Request(r) => r,
            Head::Closed => return,
            Head::Refused(response) => {
                let _ = write_response(&mut stream, &response, false, true);
                return;
            }
        };
        // A body is never read; a request that has one ends the connection.
        let close = request.close || !matches!(request.method.as_str(), "GET" | "HEAD");
        match handler(&request) {
            Answer::Respond(response) => {
                let head_only = request.method == "HEAD";
                if write_response(&mut stream, &response, head_only, close).is_err() || close {
                    return;
                }
            }
            Answer::TakeOver(run) => {
                run(stream);
                return;
            }
        }
    }
}

/// What reading a request head gave.
enum Head {
    Request(Request),
    /// The client closed, went idle or was too slow: close without a word.
    Closed,
    /// A malformed or oversized head: answer this and close.
    Refused(Response),
}

/// Reads one request head into `buffer` (bytes after it stay there), under
/// the idle timeout before its first byte and the head deadline after.
fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>, limits: Limits) -> Head {
    let mut started = (!buffer.is_empty()).then(Instant::now);
    loop {
        if !buffer.is_empty() {
            match parse(buffer) {
                Ok(Some(request)) => return Head::Request(request),
                Ok(None) => {}
                Err(()) => return Head::Refused(plain(400, "400 Bad Request\n")),
            }
            if buffer.len() > MAX_HEAD {
                return Head::Refused(plain(431, "431 Request Header Fields Too Large\n"));
            }
        }
        let wait = match started {
            None => limits.idle,
            Some(at) => match limits.head.checked_sub(at.elapsed()) {
                Some(left) if !left.is_zero() => left,
                _ => return Head::Closed,
            },
        };
        if stream.set_read_timeout(Some(wait)).is_err() {
            return Head::Closed;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Closed,
            Ok(n) => {
                buffer.extend_from_slice(&chunk[..n]);
                started.get_or_insert_with(Instant::now);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Timed out (WouldBlock / TimedOut) or broken.
            Err(_) => return Head::Closed,
        }
    }
}

/// A complete request head at the start of `buffer`, removed from it;
/// `Ok(None)` while it is incomplete.
fn parse(buffer: &mut Vec<u8>) -> Result<Option<Request>, ()> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    let len = match parsed.parse(buffer) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(()),
    };
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let connection = header("Connection").map(|v| v.to_ascii_lowercase());
    let close = match parsed.version {
        Some(1) => connection.as_deref().is_some_and(|c| c.contains("close")),
        _ => !connection
            .as_deref()
            .is_some_and(|c| c.contains("keep-alive")),
    };
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or_default().to_string(),
        host: header("Host"),
        close,
    };
    buffer.drain(..len);
    Ok(Some(request))
}

fn plain(status: u16, text: &str) -> Response {
    Response::new(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

/// Writes a response with its length; only the head for `HEAD`.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_parsed_once_complete_and_leaves_what_follows() {
        let mut buffer = b"GET /a/?x HTTP/1.1\r\nHost: localhost:1\r\n".to_vec();
        assert!(matches!(parse(&mut buffer), Ok(None)));
        buffer.extend_from_slice(b"\r\nGET /b/ HTTP/1.1\r\n");
        let request = parse(&mut buffer).ok().flatten().expect("complete");
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/a/?x");
        assert_eq!(request.host.as_deref(), Some("localhost:1"));
        assert!(!request.close);
        assert_eq!(buffer, b"GET /b/ HTTP/1.1\r\n");
    }

    #[test]
    fn http_1_0_closes_unless_asked_to_keep_alive_and_garbage_is_refused() {
        let mut old = b"GET / HTTP/1.0\r\n\r\n".to_vec();
        assert!(parse(&mut old).ok().flatten().is_some_and(|r| r.close));
        let mut asked = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec();
        assert!(parse(&mut asked).ok().flatten().is_some_and(|r| r.close));
        assert!(parse(&mut b"\x00\x01 nonsense\r\n\r\n".to_vec()).is_err());
    }
}
