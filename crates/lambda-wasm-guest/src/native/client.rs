//! A blocking HTTP/1.1 client for the Lambda Runtime API, on one keep-alive connection.
//!
//! The Runtime API is a local HTTP server with four calls; a runtime serves one invocation at a
//! time, so a single connection reused in turn is enough (and reconnects once if the server closed
//! it between calls). Bodies come with `Content-Length` or chunked transfer encoding.

use std::cell::RefCell;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::rc::Rc;

const PREFIX: &str = "/2018-06-01/runtime";

/// One event from `GET /runtime/invocation/next`, with the `Lambda-Runtime-*` headers.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    pub request_id: String,
    /// Epoch milliseconds.
    pub deadline_ms: Option<u64>,
    pub invoked_function_arn: Option<String>,
    pub trace_id: Option<String>,
    pub client_context: Option<String>,
    pub cognito_identity: Option<String>,
    pub body: Vec<u8>,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

/// The Runtime API at `host:port` (the value of `AWS_LAMBDA_RUNTIME_API`). Clones share the connection.
#[derive(Clone)]
pub struct RuntimeApi {
    address: String,
    connection: Rc<RefCell<Option<BufReader<TcpStream>>>>,
}

impl RuntimeApi {
    pub fn new(address: &str) -> Self {
        RuntimeApi {
            address: address.to_owned(),
            connection: Rc::new(RefCell::new(None)),
        }
    }

    /// Waits for the next event (the call blocks until Lambda has one).
    pub fn next(&self) -> io::Result<Invocation> {
        let res = self.call("GET", "/invocation/next", None, &[])?;
        if res.status != 200 {
            return Err(unexpected("next", &res));
        }
        let request_id = res.header("Lambda-Runtime-Aws-Request-Id").ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "next: no Lambda-Runtime-Aws-Request-Id header")
        })?;
        Ok(Invocation {
            request_id,
            deadline_ms: res
                .header("Lambda-Runtime-Deadline-Ms")
                .and_then(|v| v.trim().parse().ok()),
            invoked_function_arn: res.header("Lambda-Runtime-Invoked-Function-Arn"),
            trace_id: res.header("Lambda-Runtime-Trace-Id"),
            client_context: res.header("Lambda-Runtime-Client-Context"),
            cognito_identity: res.header("Lambda-Runtime-Cognito-Identity"),
            body: res.body,
        })
    }

    /// `POST /runtime/invocation/{id}/response`.
    pub fn respond(&self, request_id: &str, payload: &[u8]) -> io::Result<()> {
        let path = format!("/invocation/{}/response", request_id);
        self.accepted("response", self.call("POST", &path, Some(payload), &[])?)
    }

    /// `POST /runtime/invocation/{id}/error` with `{errorType, errorMessage}`.
    pub fn fail(&self, request_id: &str, error_type: &str, payload: &[u8]) -> io::Result<()> {
        let path = format!("/invocation/{}/error", request_id);
        let header = [("Lambda-Runtime-Function-Error-Type", error_type)];
        self.accepted("error", self.call("POST", &path, Some(payload), &header)?)
    }

    /// `POST /runtime/init/error`: the runtime could not start; Lambda ends the environment.
    pub fn init_error(&self, error_type: &str, payload: &[u8]) -> io::Result<()> {
        let header = [("Lambda-Runtime-Function-Error-Type", error_type)];
        self.accepted("init/error", self.call("POST", "/init/error", Some(payload), &header)?)
    }

    fn accepted(&self, what: &str, res: Response) -> io::Result<()> {
        if res.status == 202 {
            Ok(())
        } else {
            Err(unexpected(what, &res))
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&[u8]>, headers: &[(&str, &str)]) -> io::Result<Response> {
        let mut request = format!(
            "{} {}{} HTTP/1.1\r\nHost: {}\r\nUser-Agent: lambda-wasm-guest/{}\r\n",
            method,
            PREFIX,
            path,
            self.address,
            env!("CARGO_PKG_VERSION")
        );
        for (k, v) in headers {
            request.push_str(&format!("{}: {}\r\n", k, sanitize(v)));
        }
        if let Some(b) = body {
            request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body.unwrap_or_default());
        // A kept-alive connection the server has closed fails on first use: retry once on a new one.
        let reused = self.connection.borrow().is_some();
        match self.exchange(&bytes) {
            Ok(res) => Ok(res),
            Err(_) if reused => {
                *self.connection.borrow_mut() = None;
                self.exchange(&bytes)
            }
            Err(e) => Err(e),
        }
    }

    fn exchange(&self, request: &[u8]) -> io::Result<Response> {
        let mut slot = self.connection.borrow_mut();
        if slot.is_none() {
            let stream = TcpStream::connect(resolve(&self.address)?)?;
            stream.set_nodelay(true)?;
            *slot = Some(BufReader::new(stream));
        }
        let reader = slot.as_mut().expect("connected above");
        let result = reader
            .get_mut()
            .write_all(request)
            .and_then(|_| read_response(reader));
        match result {
            Ok((res, keep_alive)) => {
                if !keep_alive {
                    *slot = None;
                }
                Ok(res)
            }
            Err(e) => {
                *slot = None;
                Err(e)
            }
        }
    }
}

/// A numeric `ip:port` needs no resolver (Lambda's value is `127.0.0.1:9001`); names are looked up.
fn resolve(address: &str) -> io::Result<SocketAddr> {
    if let Ok(addr) = address.parse::<SocketAddr>() {
        return Ok(addr);
    }
    address.to_socket_addrs()?.next().ok_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, format!("AWS_LAMBDA_RUNTIME_API={} does not resolve", address))
    })
}

/// Header values must not break the request framing.
fn sanitize(value: &str) -> String {
    value.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

fn unexpected(what: &str, res: &Response) -> io::Error {
    io::Error::new(
        io::ErrorKind::Other,
        format!("{}: HTTP {}: {}", what, res.status, String::from_utf8_lossy(&res.body)),
    )
}

fn read_response(reader: &mut BufReader<TcpStream>) -> io::Result<(Response, bool)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the Runtime API closed the connection"));
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad status line: {:?}", line)))?;
    let keep_alive_default = line.starts_with("HTTP/1.1");
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "headers cut short"));
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut res = Response { status, headers, body: Vec::new() };
    let chunked = res
        .header("Transfer-Encoding")
        .map_or(false, |v| v.to_ascii_lowercase().contains("chunked"));
    let keep_alive = match res.header("Connection") {
        Some(v) if v.eq_ignore_ascii_case("close") => false,
        Some(v) if v.eq_ignore_ascii_case("keep-alive") => true,
        _ => keep_alive_default,
    };
    if chunked {
        res.body = read_chunked(reader)?;
    } else if let Some(len) = res.header("Content-Length") {
        let len: usize = len
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length"))?;
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        res.body = body;
    } else if status != 204 && status != 304 {
        reader.read_to_end(&mut res.body)?;
        return Ok((res, false));
    }
    Ok((res, keep_alive))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size_text = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("bad chunk size {:?}", line)))?;
        if size == 0 {
            // Trailers, then the empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf)?;
    }
}
