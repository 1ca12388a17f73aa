// Report form: fill longitude/latitude from the phone's position; show the disaster type only for disaster hazards.
(function () {
  "use strict";
  var button = document.getElementById("locate-me");
  if (button && navigator.geolocation) {
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      });
    });
  } else if (button) {
    button.hidden = true;
  }
  var kind = document.getElementById("id_kind");
  var wrap = document.getElementById("wrap-disaster_type");
  function sync() {
    if (kind && wrap) {
      wrap.hidden = kind.value !== "disaster";
    }
  }
  if (kind) {
    kind.addEventListener("change", sync);
    sync();
  }
})();
