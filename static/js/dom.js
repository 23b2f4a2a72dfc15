// Building and updating the few elements the screens draw themselves.

/** Set a node's text only when it changed (no needless repaints on the wall). */
export function setText(node, value) {
  if (node && node.textContent !== String(value)) node.textContent = value;
}

/** A small element: el("span", {className: "x", dataset: {a: "b"}}, ["text", child]). */
export function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "attrs") {
      for (const [name, text] of Object.entries(value)) node.setAttribute(name, text);
    } else node[key] = value;
  }
  for (const child of children || []) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
