/* jsg_privacy's page in Saleor's dashboard. The dashboard hands the page (in its iframe) the staff
 * member's app-bridge token in a "handshake" message ({type: "handshake", payload: {token,
 * version}}, as @saleor/app-sdk's AppBridge receives it); every call sends it back in the
 * Authorization-Bearer header. The token is kept in memory only. */
(function () {
  "use strict";
  var root = document.getElementById("jsg-dashboard");
  var params = new URLSearchParams(window.location.search);
  var customer = params.get("customerId") || ""; // added by the customer's "more actions" menu
  var token = "";
  var started = false;

  function $(id) { return document.getElementById(id); }
  function say(text) { $("jsg-status").textContent = text; }

  function call(url, options) {
    options = options || {};
    options.headers = Object.assign({ "Authorization-Bearer": token }, options.headers || {});
    if (params.get("saleorApiUrl")) { options.headers["Saleor-Api-Url"] = params.get("saleorApiUrl"); }
    return fetch(url, options).then(function (response) {
      if (response.ok) { return response; }
      return response.json().catch(function () { return {}; }).then(function (body) {
        throw new Error(body.error || ("HTTP " + response.status));
      });
    });
  }

  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }

  function showCases(cases) {
    var body = $("jsg-cases").querySelector("tbody");
    body.textContent = "";
    cases.forEach(function (c) {
      var row = document.createElement("tr");
      [c.reference, c.kind, c.status, c.received, c.due + (c.overdue ? " (overdue)" : "")].forEach(function (t) { cell(row, t); });
      if (c.overdue) { row.className = "jsg-overdue"; }
      body.appendChild(row);
    });
    $("jsg-no-cases").hidden = cases.length > 0;
    $("jsg-cases").hidden = false;
  }

  function showPlan(plan) {
    var body = $("jsg-plan").querySelector("tbody");
    body.textContent = "";
    plan.forEach(function (step) {
      var row = document.createElement("tr");
      // rows is null for the store's own records, which it cannot count before erasing them
      var rows = step.rows === null ? root.dataset.notCounted : String(step.rows);
      [step.source, rows, step.action].forEach(function (t) { cell(row, t); });
      body.appendChild(row);
    });
  }

  function load() {
    var url = root.dataset.casesUrl + (customer ? "?customer=" + encodeURIComponent(customer) : "");
    return call(url).then(function (response) { return response.json(); }).then(function (data) {
      if (data.customer) {
        $("jsg-customer-email").textContent = data.customer.email;
        showPlan(data.plan);
        $("jsg-customer").hidden = false;
        $("jsg-cases-title").textContent = "Their requests";
      }
      showCases(data.cases);
      say("Signed in to Saleor as " + data.staff + ".");
    });
  }

  function exportData() {
    var button = $("jsg-export");
    button.disabled = true;
    $("jsg-export-status").textContent = "Exporting…";
    call(root.dataset.exportUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer: customer })
    }).then(function (response) {
      var reference = response.headers.get("X-Case-Reference") || "export";
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = reference + "-personal-data.zip";
        link.id = "jsg-download";
        link.textContent = "Download " + link.download;
        $("jsg-export-status").textContent = "Recorded as " + reference + ". ";
        $("jsg-export-status").appendChild(link);
        link.click();
        return load();
      });
    }).catch(function (error) {
      $("jsg-export-status").textContent = "The export failed: " + error.message;
    }).then(function () { button.disabled = false; });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || typeof event.data !== "object") { return; }
    var payload = event.data.payload || {};
    // Sent when the iframe is initialised and whenever the dashboard assigns a new token.
    if (event.data.type === "handshake" && typeof payload.token === "string") {
      token = payload.token;
      // Saleor issues no token for the extension to staff without its permission, yet the
      // dashboard (3.23) still shows them the menu entry and hands the page an empty token.
      if (!token) { say(root.dataset.noToken); return; }
      if (!started) {
        started = true;
        load().catch(function (error) { say(error.message); });
      }
    }
  });
  $("jsg-export").addEventListener("click", exportData);
  if (window.parent !== window) {
    window.parent.postMessage({ type: "notifyReady", payload: { actionId: "jsg-privacy-ready" } }, "*");
  }
})();
