// The chat room: one WebSocket, messages inserted as text (never as HTML), reconnects after a drop.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  if (!log) return;
  var room = log.dataset.room, me = log.dataset.me;
  var status = document.getElementById("chat-status");
  var form = document.getElementById("chat-form"), input = document.getElementById("chat-input");
  var socket = null, moderator = false, retry = 1000;

  function setStatus(text, bad) {
    status.textContent = text;
    status.className = "chat-status" + (bad ? " error" : "");
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  }

  function add(m) {
    if (document.getElementById("msg-" + m.id)) return;  // sent while we joined: in the history already
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    var li = document.createElement("li");
    li.id = "msg-" + m.id;
    if (m.user === me) li.className = "mine";
    var when = document.createElement("span"); when.className = "when"; when.textContent = time(m.at);
    var who = document.createElement("span"); who.className = "who"; who.textContent = m.user + (m.staff ? " (staff)" : "");
    var text = document.createElement("span"); text.className = "text"; text.textContent = m.text;
    li.append(when, who, text);
    if (moderator) {
      var del = document.createElement("button");
      del.type = "button"; del.className = "link del"; del.textContent = "delete";
      del.addEventListener("click", function () { send({action: "delete", id: m.id}); });
      li.append(del);
    }
    log.append(li);
    if (atBottom || m.user === me) log.scrollTop = log.scrollHeight;
  }

  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); return true; }
    setStatus("Not connected: wait a moment and send again.", true);
    return false;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/chat/" + encodeURIComponent(room) + "/");
    socket.onopen = function () { retry = 1000; };
    socket.onmessage = function (e) {
      var data = JSON.parse(e.data);
      if (data.type === "history") {
        moderator = !!data.moderator;
        log.textContent = "";
        data.messages.forEach(add);
        log.scrollTop = log.scrollHeight;
        setStatus(data.messages.length ? "Connected." : "Connected. No messages yet: say hello.");
      } else if (data.type === "message") {
        add(data);
        setStatus("Connected.");
      } else if (data.type === "deleted") {
        var li = document.getElementById("msg-" + data.id);
        if (li) { li.textContent = "(message removed by a moderator)"; li.className = "deleted"; }
      } else if (data.type === "error") {
        setStatus(data.message, true);
      }
    };
    socket.onclose = function (e) {
      if (e.code === 4403) { setStatus("Log in to chat.", true); return; }
      setStatus("Disconnected: reconnecting…", true);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (text && send({action: "say", text: text})) input.value = "";
  });
  connect();
})();
