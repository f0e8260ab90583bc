// Tell GOV.UK Frontend's CSS that its JavaScript can run (a file, not inline: the CSP forbids inline).
document.body.className += (document.body.className ? " " : "") + "govuk-frontend-supported";
