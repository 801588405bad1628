//! Fetching the site's own files (question banks, the question index) as text.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text at `url`, or a sentence saying what went wrong.
pub async fn text(url: &str) -> Result<String, String> {
    let response = JsFuture::from(crate::dom::window().fetch_with_str(url)).await.map_err(|_| "the network is unreachable and this file was never saved for offline use".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "the answer was not a response".to_string())?;
    if !response.ok() {
        return Err(format!("the site answered {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "the response had no text".to_string())?).await.map_err(|_| "the response could not be read".to_string())?;
    text.as_string().ok_or_else(|| "the response was not text".to_string())
}
