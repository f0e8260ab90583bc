// Draws every chart on the page with vega-embed. Each chart is an element
// <div class="app-chart" data-chart-spec="ID"> whose Vega-Lite specification sits in
// <script type="application/json" id="ID"> (data, not code, so the CSP allows it).
// Expressions are parsed to an AST and run by vega-interpreter: no eval, no new Function.
// The table beside each chart carries the same figures for anyone who cannot see it.
(function () {
  "use strict";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    tooltip: false,
    defaultStyle: false,
    ast: true,
  };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart-spec"));
    if (!source) {
      element.setAttribute("data-chart-state", "failed");
      return Promise.resolve();
    }
    var spec = JSON.parse(source.textContent);
    var options = Object.assign({}, OPTIONS, { expr: window.vegaInterpreter.expressionInterpreter });
    return window.vegaEmbed(element, spec, options).then(function () {
      element.setAttribute("data-chart-state", "rendered");
    }).catch(function (error) {
      element.setAttribute("data-chart-state", "failed");
      if (window.console) { window.console.error("chart failed", error); }
    });
  }

  function drawAll() {
    if (!window.vegaEmbed || !window.vegaInterpreter) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-spec]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
