// Community Voice: initialise GOV.UK Frontend's components.
// Load with <script type="module" src="/static/js/app.mjs"></script> at the
// end of <body>. The import resolves to /static/govuk/govuk-frontend.min.js,
// copied there by `npm run build`.
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
