// Dispatch form (派发任务): show only the assignee dropdown of the chosen kind (the others are disabled,
// so they are not sent; the team-only force fields go with the team dropdown), and reload the page when
// the incident changes so that the dropdowns list the teams, departments and people around it.
// The server still refuses an assignee that does not match the kind.
(function () {
  "use strict";
  var form = document.getElementById("task-form");
  if (!form) {
    return;
  }
  var kind = form.querySelector("[data-assignee-kind]");
  var controls = form.querySelectorAll("[data-assignee]");

  function sync() {
    var chosen = kind ? kind.value : "";
    controls.forEach(function (control) {
      var shown = control.getAttribute("data-assignee") === chosen;
      var wrap = control.closest(".yj-field") || control;
      wrap.hidden = !shown;
      control.disabled = !shown;
    });
  }

  if (kind) {
    kind.addEventListener("change", sync);
    sync();
  }

  var incident = form.querySelector("[data-reload]");
  if (incident) {
    incident.addEventListener("change", function () {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string" && value !== "") {
          params.append(name, value);
        }
      });
      window.location.search = params.toString();
    });
  }
})();
