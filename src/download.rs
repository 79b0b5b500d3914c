//! Saving text the app fetched as a file (the orders list's CSV): a Blob, a temporary object
//! URL and a click on an `<a download>`. The request itself went through the API client, so it
//! carried the session as every other call does, also when the console is embedded on another
//! origin, where a plain link would not.

use wasm_bindgen::JsCast;

/// Offers `text` to the browser as a download named `name`.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let failed = |what: &str| format!("The browser could not save the file ({what}).");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| failed("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("url"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| failed("document"))?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| failed("link"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The click has started the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
