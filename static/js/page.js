// What a template gives its scripts: the page's data and its translated words.

/** The JSON a template renders into <script type="application/json" id="…"> ("page-data"). */
export function pageData(id = "page-data") {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}

/** Fill the "{name}" placeholders of a translated message (templates render them that way). */
export function format(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, key) => (
    values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole
  ));
}
