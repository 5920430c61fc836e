// Builds elements from text only: nothing that came from the network is ever parsed as
// HTML (no innerHTML anywhere), so topic names, event data and user agents show as text.

export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined) {
    node.textContent = String(options.text);
  }
  if (options.title !== undefined) {
    node.title = String(options.title);
  }
  for (const [key, value] of Object.entries(options.data ?? {})) {
    node.dataset[key] = String(value);
  }
  if (options.onClick) {
    node.addEventListener('click', options.onClick);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

export function clock(date = new Date()) {
  return date.toLocaleTimeString([], { hour12: false });
}

// "12 s ago" for an ISO timestamp; the text itself when it is not one.
export function age(value, now = Date.now()) {
  if (value === null || value === undefined || value === '') {
    return 'never';
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    return String(value);
  }
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 120) {
    return `${seconds} s ago`;
  }
  if (seconds < 7200) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  return `${Math.round(seconds / 3600)} h ago`;
}

export function shorten(text, max) {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
