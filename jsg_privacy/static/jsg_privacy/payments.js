// Shared by the gateways' scripts (payments-stripe.js, -paypal.js, -opayo.js): a payment form's
// messages (its data attributes), its status and error boxes, and JSON posts to the shop with the
// CSRF token. Loaded once by the pay page, before them.
(function () {
  "use strict";

  window.jsgPayment = function (form, prefix) {
    var errorBox = document.getElementById(prefix + "-error");
    var statusBox = document.getElementById(prefix + "-status");
    var button = form.querySelector(".jsg-payment__submit");
    var messages = form.dataset;
    var payment = {
      messages: messages,
      button: button,
      busy: false,
      say: function (text) { statusBox.textContent = text || ""; },
      error: function (text) { errorBox.textContent = text || ""; },
      fail: function (text) {
        payment.say("");
        payment.error(text || messages.messageError);
        if (button) { button.disabled = false; }
        payment.busy = false;
      },
      start: function () {
        if (payment.busy) { return false; }
        payment.busy = true;
        if (button) { button.disabled = true; }
        payment.error("");
        payment.say(messages.messageProcessing);
        return true;
      },
      post: function (url, fields) {
        var body = new URLSearchParams(fields || {});
        body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
        return fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "Accept": "application/json" },
        }).then(function (response) {
          return response.json().catch(function () { return { status: "error" }; });
        });
      },
      // The shop's last answer: to the order when paid, else its message.
      finish: function (answer, otherwise) {
        if ((answer.status === "succeeded" || answer.status === "paid") && answer.redirect) {
          payment.say(messages.messagePaid);
          window.location.assign(answer.redirect);
          return;
        }
        payment.fail(otherwise || answer.message);
      },
    };
    return payment;
  };
})();
