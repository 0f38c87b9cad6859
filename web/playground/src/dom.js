// Tiny DOM helpers. Text from the server (messages, statements, proofs) only ever becomes text nodes, never HTML.

/** Creates an element with attributes (`on...` functions become listeners) and children (strings become text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export const $ = (selector) => document.querySelector(selector);
