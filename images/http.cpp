#include "images/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#ifndef DOCKERFIX_VERSION
#define DOCKERFIX_VERSION "0.1.0"
#endif

namespace dockerfix::images {

namespace {

constexpr size_t kPauseAbove = 1 << 20;  // buffered bytes before the transfer is paused

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResponse::all(const std::string& name) const {
  std::vector<std::string> out;
  for (auto [it, end] = headers.equal_range(name); it != end; ++it) out.push_back(it->second);
  return out;
}

struct HttpStream::Impl {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  bool headers_done = false;
  bool done = false;
  bool paused = false;
  std::string pending, current;
  std::string url;
  char error[CURL_ERROR_SIZE] = {};

  static size_t on_header(char* data, size_t size, size_t n, void* self) {
    auto* me = static_cast<Impl*>(self);
    std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (after 100 Continue)
      me->response.headers.clear();
      me->headers_done = false;
      auto sp = line.find(' ');
      if (sp != std::string_view::npos) me->response.status = std::atol(std::string(line.substr(sp + 1, 3)).c_str());
    } else if (line == "\r\n" || line == "\n") {
      me->headers_done = me->response.status >= 200;
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      me->response.headers.emplace(lower(std::string(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    return size * n;
  }

  static size_t on_body(char* data, size_t size, size_t n, void* self) {
    auto* me = static_cast<Impl*>(self);
    if (me->pending.size() > kPauseAbove) {
      me->paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    me->pending.append(data, size * n);
    return size * n;
  }

  // One round of transfer work; sets `done` at the end, throws on failure.
  void pump() {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) throw HttpError(url + ": " + curl_multi_strerror(mc));
    if (running == 0) {
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURLcode rc = msg->data.result;
        if (rc != CURLE_OK) throw HttpError(url + ": " + (error[0] ? std::string(error) : curl_easy_strerror(rc)));
      }
      done = true;
      headers_done = true;
      return;
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }

  ~Impl() {
    if (multi && easy) curl_multi_remove_handle(multi, easy);
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
  }
};

HttpStream::HttpStream(const HttpRequest& r) : impl_(std::make_unique<Impl>()) {
  global_init();
  Impl& m = *impl_;
  m.url = r.url;
  m.easy = curl_easy_init();
  m.multi = curl_multi_init();
  if (!m.easy || !m.multi) throw HttpError(r.url + ": cannot start an HTTP transfer");
  curl_easy_setopt(m.easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(m.easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(m.easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(m.easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(m.easy, CURLOPT_CONNECTTIMEOUT, 20L);
  // A stalled transfer ends instead of hanging: under 1 byte/s for a minute.
  curl_easy_setopt(m.easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(m.easy, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(m.easy, CURLOPT_USERAGENT, "dockerfix/" DOCKERFIX_VERSION);
  curl_easy_setopt(m.easy, CURLOPT_ERRORBUFFER, m.error);
  curl_easy_setopt(m.easy, CURLOPT_HEADERFUNCTION, &Impl::on_header);
  curl_easy_setopt(m.easy, CURLOPT_HEADERDATA, &m);
  curl_easy_setopt(m.easy, CURLOPT_WRITEFUNCTION, &Impl::on_body);
  curl_easy_setopt(m.easy, CURLOPT_WRITEDATA, &m);
  if (!r.unix_socket.empty()) curl_easy_setopt(m.easy, CURLOPT_UNIX_SOCKET_PATH, r.unix_socket.c_str());
  if (!r.verify_tls) {
    curl_easy_setopt(m.easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(m.easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (r.method == "HEAD") curl_easy_setopt(m.easy, CURLOPT_NOBODY, 1L);
  if (r.method == "POST") {
    curl_easy_setopt(m.easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    curl_easy_setopt(m.easy, CURLOPT_COPYPOSTFIELDS, r.body.c_str());
  }
  for (const auto& h : r.headers) m.headers = curl_slist_append(m.headers, h.c_str());
  if (m.headers) curl_easy_setopt(m.easy, CURLOPT_HTTPHEADER, m.headers);
  curl_multi_add_handle(m.multi, m.easy);
  while (!m.headers_done) m.pump();
}

HttpStream::~HttpStream() = default;

const HttpResponse& HttpStream::response() const { return impl_->response; }

std::string_view HttpStream::read() {
  Impl& m = *impl_;
  while (m.pending.empty() && !m.done) {
    if (m.paused) {
      m.paused = false;
      curl_easy_pause(m.easy, CURLPAUSE_CONT);
    }
    m.pump();
  }
  m.current.swap(m.pending);
  m.pending.clear();
  if (m.paused) {
    m.paused = false;
    curl_easy_pause(m.easy, CURLPAUSE_CONT);
  }
  return m.current;
}

HttpResponse http_fetch(const HttpRequest& request, size_t max_body) {
  HttpStream s(request);
  HttpResponse out = s.response();
  for (std::string_view piece = s.read(); !piece.empty(); piece = s.read()) {
    if (out.body.size() + piece.size() > max_body)
      throw HttpError(request.url + ": the response is larger than " + std::to_string(max_body) + " bytes");
    out.body.append(piece);
  }
  return out;
}

}  // namespace dockerfix::images
