// HTTP over libcurl for the registry and engine clients: whole responses with
// a size limit, and bodies streamed on demand (a layer is read only as far
// as its reader pulls). Redirects are not followed here: the caller decides
// what credentials a new host may see.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::images {

// The request could not be made or broke off (no HTTP status to speak of).
class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POST form body
  std::string unix_socket;           // talk HTTP over this socket (the Docker engine)
  bool verify_tls = true;
};

struct HttpResponse {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  // The first value of a header, or "".
  std::string header(const std::string& lower_name) const;
  std::vector<std::string> all(const std::string& lower_name) const;
};

class HttpStream {
 public:
  // Sends the request and waits for the response headers. Throws HttpError.
  explicit HttpStream(const HttpRequest& request);
  ~HttpStream();
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  const HttpResponse& response() const;  // status and headers (no body)
  // The next piece of the body; empty at its end. Valid until the next call.
  // Throws HttpError when the transfer breaks off.
  std::string_view read();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The whole response; a body over `max_body` bytes is an HttpError.
HttpResponse http_fetch(const HttpRequest& request, size_t max_body);

}  // namespace dockerfix::images
