// `dockerfix doctor socket`: which GID the host's Docker socket has, and
// what to pass so docker-socket-group's ARG DOCKER_GID matches it. A socket
// of the root group (gid 0) has no such GID: the output says so and exits 1.
#include <grp.h>
#include <sys/stat.h>

#include <memory>
#include <string>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/help_text.h"

namespace dockerfix::cli {

Command add_doctor_command(CLI::App& app) {
  auto socket = std::make_shared<std::string>("/var/run/docker.sock");
  const HelpText& help = help_text("doctor");
  CLI::App* doctor = app.add_subcommand("doctor", help.brief());
  doctor->footer(help.footer());
  CLI::App* sub = doctor->add_subcommand(
      "socket", "Print the Docker socket's GID and the build/run options that match it.\n"
                "Example: dockerfix doctor socket --socket /run/docker.sock");
  sub->add_option("--socket", *socket, "Path of the Docker socket (default /var/run/docker.sock)");
  doctor->require_subcommand(1);
  return {doctor, [socket] {
            struct stat st {};
            if (stat(socket->c_str(), &st) != 0) {
              fmt::print(stderr, "dockerfix: {}: no Docker socket here (is the daemon running, or is it elsewhere? use --socket)\n",
                         *socket);
              return kExitUsage;
            }
            if (!S_ISSOCK(st.st_mode)) {
              fmt::print(stderr, "dockerfix: {} is not a socket\n", *socket);
              return kExitUsage;
            }
            const struct group* g = getgrgid(st.st_gid);
            fmt::print("{}: owned by gid {}{}\n", *socket, st.st_gid, g ? fmt::format(" ({})", g->gr_name) : "");
            if (st.st_gid == 0) {
              // Passing 0 would make the image's user a member of root's
              // group, and groupmod to 0 fails the build anyway.
              fmt::print(
                  "The socket belongs to the root group: only root can use it, and there is no DOCKER_GID to build\n"
                  "with (0 would put the image's user in root's group).\n"
                  "Either give the socket a group of its own on the host (dockerd --group docker, or\n"
                  "SocketGroup=docker in docker.socket) and run this again, or run the container as root.\n");
              return kExitFindings;
            }
            fmt::print("build with: docker build --build-arg DOCKER_GID={} .\n", st.st_gid);
            fmt::print("run with:   docker run -v {}:/var/run/docker.sock --group-add {} ...\n", *socket, st.st_gid);
            fmt::print(
                "If a group of the image already has gid {}, docker-socket-group's RUN adds the user to that\n"
                "group instead of giving the docker group the id.\n",
                st.st_gid);
            return kExitOk;
          }};
}

}  // namespace dockerfix::cli
