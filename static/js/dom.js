// Building and updating the few elements the screens draw themselves.

/** The element of `scope` marked data-field="name" (null when there is none). */
export function field(scope, name) {
  return scope.querySelector(`[data-field="${name}"]`);
}

/** Set a node's text only when it changed (no needless repaints on the wall). */
export function setText(node, value) {
  if (node && node.textContent !== String(value)) node.textContent = value;
}

/**
 * A small element: el("button", {className: "x", text: "Go", onclick: go, "aria-label": "Go
 * now", dataset: {a: "b"}}, ["text", child]). A name the element has (className, type, value,
 * disabled, onclick…) is set as that property; any other (aria-*, data-*, colspan) as an
 * attribute; `text` is its text, `dataset` and `attrs` ({name: value}) are spread.
 */
export function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "attrs") {
      for (const [name, text] of Object.entries(value)) node.setAttribute(name, text);
    } else if (key === "text") node.textContent = value;
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children || []) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
