// Keyboard shortcuts for voting: A agree, D disagree, P pass. The buttons work without it.
// Single-letter shortcuts can be turned off (WCAG 2.1.4, character key shortcuts); the
// choice is kept for this browser tab only, as every vote loads a new page.
const STORE = "cv-conversation-shortcuts";
const form = document.querySelector("[data-vote-form]");
if (form) {
  const hint = document.querySelector("[data-shortcut-hint]");
  if (hint) hint.hidden = false;
  const toggle = document.querySelector("[data-shortcut-toggle]");
  if (toggle) {
    try {
      toggle.checked = sessionStorage.getItem(STORE) !== "off";
    } catch {
      // Storage blocked: the shortcuts stay on, and can still be turned off on this page.
    }
    toggle.addEventListener("change", () => {
      try {
        sessionStorage.setItem(STORE, toggle.checked ? "on" : "off");
      } catch {
        // Not kept: it applies to this page only.
      }
    });
  }
  for (const button of form.querySelectorAll("[data-key]")) {
    button.setAttribute("aria-keyshortcuts", button.dataset.key.toUpperCase());
  }
  document.addEventListener("keydown", (event) => {
    if (toggle && !toggle.checked) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const button = form.querySelector(`[data-key="${event.key.toLowerCase()}"]`);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
}
