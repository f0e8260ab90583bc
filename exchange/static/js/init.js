// Start GOV.UK Frontend's components (error summary focus, details, header menu, and so on).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
