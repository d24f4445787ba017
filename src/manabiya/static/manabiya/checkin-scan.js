// Check-in by camera, where the browser can read QR codes (BarcodeDetector): the scanned text
// goes into the code field and the form is sent, as if typed. Without it, typing still works.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("scan-button");
    var video = document.getElementById("scan-video");
    var form = document.getElementById("code-form");
    if (!button || !video || !form) return;
    var input = form.querySelector("input[name=code]");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              input.value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }, function () { window.requestAnimationFrame(look); });
        };
        look();
      });
    });
  });
})();
