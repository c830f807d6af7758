//! A chart as a file: its SVG, or a PNG drawn from the SVG on a canvas.

use super::draw::{H, W};

/// The SVG with the page's text colour written in, so a PNG made from it (outside the page's
/// stylesheet) keeps its labels legible in the dark theme too.
pub fn themed(svg: &str) -> String {
    let fg = web_sys::window()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root).ok().flatten()
        })
        .and_then(|style| style.get_property_value("--fg").ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#000000".into());
    let style = format!("<style>text{{fill:{fg}}}</style>");
    match svg.find('>') {
        Some(i) => format!("{}{style}{}", &svg[..=i], &svg[i + 1..]),
        None => svg.to_string(),
    }
}

pub fn save_svg(name: &str, svg: &str) {
    crate::ui::download::save_text(&format!("{name}.svg"), "image/svg+xml", svg);
}

/// The chart as a PNG (twice its size, for sharp text), drawn from its SVG on a canvas, on the
/// chart's background colour so the picture reads outside the page too.
pub fn save_png(name: &'static str, svg: &str) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(image) = web_sys::HtmlImageElement::new() else { return };
    let background = doc
        .document_element()
        .and_then(|root| web_sys::window()?.get_computed_style(&root).ok().flatten())
        .and_then(|style| style.get_property_value("--panel").ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#ffffff".into());
    let img = image.clone();
    let src = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
        let Ok(canvas) = doc.create_element("canvas") else { return };
        let canvas: web_sys::HtmlCanvasElement = canvas.unchecked_into();
        canvas.set_width(W * 2);
        canvas.set_height(H * 2);
        let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
        let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
        ctx.set_fill_style_str(&background);
        ctx.fill_rect(0.0, 0.0, f64::from(W * 2), f64::from(H * 2));
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, f64::from(W * 2), f64::from(H * 2));
        if let Ok(data) = canvas.to_data_url_with_type("image/png")
            && let Ok(a) = doc.create_element("a")
        {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&data);
            a.set_download(&format!("{name}.png"));
            a.click();
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&src);
}

