// The PayPal stand-in's JavaScript SDK: paypal.Buttons({createOrder, onApprove, onCancel, onError})
// .render(selector), as PayPal's SDK offers it. Its button asks the shop for an order (createOrder),
// then shows a box where the buyer approves the payment at "PayPal" or cancels, as PayPal's pop-up
// would; on approval it calls onApprove({orderID}). Served by the stand-in at /sdk/js.
(function () {
  "use strict";
  var base = "__STANDIN__";

  function box(orderId) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("div");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-label", "PayPal (stand-in)");
      dialog.style.cssText = "position:fixed;top:30%;left:50%;margin-left:-160px;width:320px;" +
        "padding:16px;background:#fff;border:3px solid #003087;z-index:1000;text-align:center";
      var text = document.createElement("p");
      text.textContent = "PayPal (stand-in): pay order " + orderId + "?";
      dialog.appendChild(text);
      [["Approve payment", "ok"], ["Approve with a declined card", "declined"], ["Cancel", ""]]
        .forEach(function (choice) {
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = choice[0];
          button.addEventListener("click", function () {
            document.body.removeChild(dialog);
            resolve(choice[1]);
          });
          dialog.appendChild(button);
        });
      document.body.appendChild(dialog);
    });
  }

  function Buttons(options) {
    return {
      render: function (selector) {
        var host = typeof selector === "string" ? document.querySelector(selector) : selector;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "paypal-button";
        button.textContent = "PayPal";
        button.addEventListener("click", function () {
          button.disabled = true;
          Promise.resolve(options.createOrder())
            .then(function (orderId) {
              if (!orderId) { return null; }
              return box(orderId).then(function (payer) {
                if (!payer) { return options.onCancel && options.onCancel({ orderID: orderId }); }
                return fetch(base + "/_standin/orders/" + orderId + "/approve", {
                  method: "POST",
                  body: JSON.stringify({ payer: payer }),
                }).then(function () { return options.onApprove({ orderID: orderId }); });
              });
            })
            .catch(function (error) { if (options.onError) { options.onError(error); } })
            .then(function () { button.disabled = false; });
        });
        host.appendChild(button);
        return Promise.resolve();
      },
    };
  }

  window.paypal = { Buttons: Buttons };
})();
