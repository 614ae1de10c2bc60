// spectcoder review: one-key actions on the item page, Ctrl+Enter on the paste page.
// Every action is a plain form that works without this script.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function submit(id) {
    var form = document.getElementById(id);
    if (!form) return false;
    var button = form.querySelector("button[type=submit]");
    if (button && button.disabled) return false;
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
    return true;
  }

  function openAndFocus(detailsId, inputId) {
    var details = document.getElementById(detailsId);
    var input = document.getElementById(inputId);
    if (!details || !input) return false;
    details.open = true;
    input.focus();
    if (typeof input.select === "function") input.select();
    return true;
  }

  var keys = {
    a: function () { return submit("accept-form"); },
    c: function () { return openAndFocus("correct-details", "codes"); },
    h: function () { return openAndFocus("hold-details", "hold-reason"); },
    n: function () { return submit("claim-form"); }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var page = document.body.getAttribute("data-page");
    if (page !== "item" && page !== "queue") return;
    var action = keys[event.key];
    if (action && action()) event.preventDefault();
  });

  var paste = document.getElementById("paste-form");
  if (paste) {
    paste.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (typeof paste.requestSubmit === "function") paste.requestSubmit(); else paste.submit();
      }
    });
  }

  // One submission per form: a double press of "a" must not send two accepts.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("method") !== "post") return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
  }, true);
  // A page restored by the back button may still carry the flag: clear it.
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < forms.length; i++) forms[i].removeAttribute("data-sent");
  });
})();
