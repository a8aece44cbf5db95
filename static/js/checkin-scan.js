/* Check-in by camera: reads a ticket's QR code with the browser's own barcode detector
   (BarcodeDetector), puts the code in the check-in form and sends it, as typing it would.
   Nothing happens where the browser has no detector or no camera: the typed code still works.
   While scanning, the next ticket is scanned right after the answer to the last one is shown
   (the choice is kept in this tab's sessionStorage until "Stop the camera"). */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var form = document.querySelector("form.checkin");
  var input = form && form.querySelector("input[name=code]");
  if (!box || !input || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var KEY = "integritas-checkin-scan";
  var start = box.querySelector(".scan-start");
  var stop = box.querySelector(".scan-stop");
  var video = box.querySelector("video");
  var status = box.querySelector(".scan-status");
  var stream = null;
  var timer = null;
  var detector = null;
  box.hidden = false;

  function halt() {
    if (timer) { clearTimeout(timer); }
    timer = null;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function send(code) {
    halt();
    input.value = code;
    status.textContent = box.dataset.found;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function look() {
    detector.detect(video).then(function (found) {
      var code = found.length ? String(found[0].rawValue || "").trim() : "";
      if (code) { send(code); } else { timer = setTimeout(look, 200); }
    }, function () { timer = setTimeout(look, 200); });
  }

  function open() {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      status.textContent = box.dataset.failed;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        status.textContent = box.dataset.looking;
        sessionStorage.setItem(KEY, "on");
        return video.play();
      })
      .then(look, function () {
        halt();
        sessionStorage.removeItem(KEY);
        status.textContent = box.dataset.failed;
      });
  }

  start.addEventListener("click", open);
  stop.addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    halt();
    status.textContent = "";
  });
  if (sessionStorage.getItem(KEY) === "on") { open(); }
}());
