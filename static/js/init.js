// Community Voice: runs first thing in <body> as a classic script, because
// the Content-Security-Policy forbids inline scripts. Does what GOV.UK
// Frontend's page template does inline: marks that JavaScript is on, and
// that the browser supports ES modules (and so GOV.UK Frontend's JS).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
