// Starts GOV.UK Frontend and MoJ Frontend on every page. Loaded as a module, so it only runs
// in browsers those libraries support; older browsers get the plain HTML, which works.
//
// GOV.UK's page template sets these body classes with an inline script, which our content
// security policy forbids, so they are set here, before the components look for them.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";
import { initDrafts } from "./drafts.js";
import { initTimeout } from "./timeout.js";
import { initProgress } from "./progress.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
initDrafts();
initTimeout();
initProgress();
