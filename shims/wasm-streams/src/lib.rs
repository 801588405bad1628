//! A stand-in for `wasm-streams` 0.5, the crate server functions use to stream request and
//! response bodies.
//!
//! Why it exists: leptos 0.8 always enables `server_fn`'s `browser` feature (its Cargo.toml does
//! not make it optional; see leptos-rs/leptos_wasi#21), and `browser` links `wasm-streams`. That
//! crate exports three classes to JavaScript (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`,
//! `IntoUnderlyingSink`) with `#[wasm_bindgen]`. Exports are roots, so neither the linker nor
//! wasm-opt can drop them or the futures and `std::io` machinery behind them, although this site
//! never calls a server function: it is static pages with client-side tools and has no server.
//! Measured 2026-12 on viz-cap-theorem (release, wasm-opt 132 -Oz, gzip -9): the wasm goes from
//! 151,926 to 145,913 bytes and its JavaScript glue from 6,341 to 5,584 bytes, 6.8 KB less on
//! every page that runs a tool.
//!
//! This crate has the same name, version and the functions `server_fn` 0.8 calls
//! (`from_raw`, `from_stream`, `into_raw`, `into_stream`), so server_fn compiles unchanged. None of
//! them can run: each one stops with a message that says why, so a server function added by
//! mistake fails at once and visibly instead of streaming nothing. To use server functions,
//! delete the `[patch.crates-io]` entry in the workspace's Cargo.toml.

use futures_util::stream::{Empty, Stream};
use wasm_bindgen::JsValue;

const NO_SERVER: &str = "server functions are not available: this static site patches \
    wasm-streams out (see shims/wasm-streams)";

/// What `server_fn` holds where the real crate has a readable stream. It cannot be made.
pub struct ReadableStream {
    never: std::convert::Infallible,
}

impl ReadableStream {
    pub fn from_raw(_raw: web_sys::ReadableStream) -> Self {
        panic!("{NO_SERVER}")
    }

    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        panic!("{NO_SERVER}")
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        match self.never {}
    }

    pub fn into_stream(self) -> Empty<Result<JsValue, JsValue>> {
        match self.never {}
    }
}
