// Community Voice: keyboard shortcuts for coding contributions (progressive enhancement).
//
// Everything works without this file: links, checkboxes and buttons are plain HTML
// and reachable with Tab and Enter. With it, on the reading view and the blind
// second-coding view:
//   j / k   go to the next / previous contribution (the links marked data-tagging-next/-prev)
//   1 … 9   tick or untick the first nine codes (inputs marked data-tagging-shortcut)
//   s       press the form's main save button (data-tagging-save)
// Shortcuts are ignored while typing in a text field, or with Ctrl, Alt or Meta held,
// so they never get in the way of the browser's or a screen reader's own keys.
// On the summary report, it shows a "Print this report" button.
(function () {
  'use strict'

  function isTyping (target) {
    if (!target || !target.tagName) return false
    var tag = target.tagName.toLowerCase()
    return tag === 'textarea' || tag === 'select' || target.isContentEditable ||
      (tag === 'input' && !/^(checkbox|radio|button|submit)$/i.test(target.type))
  }

  function follow (selector) {
    var link = document.querySelector(selector)
    if (link && link.href) window.location.assign(link.href)
  }

  var STORE = 'cv-tagging-shortcuts'

  // Single-key shortcuts must be possible to turn off (WCAG 2.1.4). The choice is kept
  // for this browser tab, as every save loads a new page.
  function addToggle (form, help) {
    var wrapper = document.createElement('div')
    wrapper.className = 'govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4'
    wrapper.innerHTML = '<div class="govuk-checkboxes__item">' +
      '<input class="govuk-checkboxes__input" id="tagging-shortcuts" type="checkbox" data-tagging-toggle>' +
      '<label class="govuk-label govuk-checkboxes__label" for="tagging-shortcuts">' +
      (form.getAttribute('data-tagging-toggle-label') || 'Use these keyboard shortcuts') + '</label></div>'
    ;(help || form).insertBefore(wrapper, (help || form).firstChild)
    var toggle = wrapper.querySelector('input')
    try { toggle.checked = window.sessionStorage.getItem(STORE) !== 'off' } catch (e) { toggle.checked = true }
    toggle.addEventListener('change', function () {
      try { window.sessionStorage.setItem(STORE, toggle.checked ? 'on' : 'off') } catch (e) {}
    })
    return toggle
  }

  function setUpShortcuts () {
    var form = document.querySelector('[data-tagging-form]')
    if (!form) return
    var help = document.querySelector('[data-tagging-help]')
    if (help) help.hidden = false
    var toggle = addToggle(form, help)
    form.querySelectorAll('[data-tagging-shortcut]').forEach(function (input) {
      input.setAttribute('aria-keyshortcuts', input.getAttribute('data-tagging-shortcut'))
      var label = form.querySelector('label[for="' + input.id + '"]')
      if (label && !label.querySelector('.cv-tagging-key')) {
        var key = document.createElement('span')
        key.className = 'cv-tagging-key'
        key.setAttribute('aria-hidden', 'true')
        key.textContent = input.getAttribute('data-tagging-shortcut')
        label.insertBefore(key, label.firstChild)
      }
    })

    document.addEventListener('keydown', function (event) {
      if (!toggle.checked) return
      if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return
      if (isTyping(event.target)) return
      var key = event.key
      if (key === 'j') {
        follow('[data-tagging-next]')
      } else if (key === 'k') {
        follow('[data-tagging-prev]')
      } else if (key === 's') {
        var save = form.querySelector('[data-tagging-save]')
        if (save) save.click()
      } else if (/^[1-9]$/.test(key)) {
        var box = form.querySelector('[data-tagging-shortcut="' + key + '"]')
        if (!box) return
        box.checked = !box.checked
        box.dispatchEvent(new Event('change', { bubbles: true }))
        box.focus()
      } else {
        return
      }
      event.preventDefault()
    })
  }

  function setUpPrint () {
    var button = document.querySelector('[data-tagging-print]')
    if (!button) return
    button.hidden = false
    button.addEventListener('click', function () { window.print() })
  }

  setUpShortcuts()
  setUpPrint()
})()
