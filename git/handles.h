// Owning handles for libgit2 objects and one error type, so every call site
// reads as "do this or throw with libgit2's own message".
#pragma once

#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace dockerfix::gitlayer {

class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws GitError("what: libgit2's message") when rc < 0.
void check(int rc, const std::string& what);

// Keeps libgit2 initialised for as long as one exists.
struct Library {
  Library();
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  // How many times in this process a Library found libgit2 uninitialised
  // and initialised it (each time it reads the system's certificates, some
  // milliseconds): the tests' view of when a run uses libgit2.
  static int initialisations();
};

// While one exists, libgit2 stays initialised from the first Library made
// until the session ends: a run that opens many repositories
// initialises it once, and a run that opens none never does. One at a time.
class LibrarySession {
 public:
  LibrarySession();
  ~LibrarySession();
  LibrarySession(const LibrarySession&) = delete;
  LibrarySession& operator=(const LibrarySession&) = delete;
};

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Freer<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Reference = Handle<git_reference, git_reference_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Remote = Handle<git_remote, git_remote_free>;
using Config = Handle<git_config, git_config_free>;

std::string oid_str(const git_oid& oid, size_t length = GIT_OID_HEXSZ);

// A URL with any user:password@ part removed, for messages.
std::string redact_url(const std::string& url);

}  // namespace dockerfix::gitlayer
