// Keyboard shortcuts for voting: A agree, D disagree, P pass. The buttons work without it.
const form = document.querySelector("[data-vote-form]");
if (form) {
  const hint = document.querySelector("[data-shortcut-hint]");
  if (hint) hint.hidden = false;
  document.addEventListener("keydown", (event) => {
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
