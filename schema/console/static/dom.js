// Pages are built from data with DOM calls and text nodes, never as HTML strings, so nothing in the data can run.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      element.className = value;
    } else if (key === "dataset") {
      Object.assign(element.dataset, value);
    } else if (typeof value !== "string" && key in element) {
      element[key] = value; // value, checked, disabled, selected
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

export function link(href, ...children) {
  return h("a", { href }, ...children);
}

// A message box: kind is "ok", "error", "warn" or "info".
export function message(kind, title, ...details) {
  return h("div", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, h("strong", {}, title), ...details);
}
