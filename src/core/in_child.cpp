#include "core/in_child.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"

namespace fedhpc {

namespace {

constexpr char kInputErrorMark[] = "input-error:";
constexpr char kErrorMark[] = "error:";

void write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child(int out, const std::function<void()>& read) {
  dup2(out, STDERR_FILENO);  // whatever the libraries print on the way down, the parent reads
  try {
    read();
  } catch (const InputError& e) {
    write_all(out, std::string(kInputErrorMark) + e.what());
    _exit(kExitBadInput);
  } catch (const std::exception& e) {
    write_all(out, std::string(kErrorMark) + e.what());
    _exit(kExitFailure);
  }
  _exit(kExitOk);
}

std::string read_to_end(int fd) {
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
    if (text.size() < (1 << 20)) text.append(buf, static_cast<std::size_t>(n));
  return text;
}

}  // namespace

void survive_in_child(const std::string& file, const std::function<void()>& read) {
  int fds[2];
  if (pipe(fds) != 0) return read();  // no child to be had: read here
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return read();
  }
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], read);
  }
  close(fds[1]);
  const std::string said = read_to_end(fds[0]);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOk) return;
  if (said.rfind(kInputErrorMark, 0) == 0) throw InputError(said.substr(std::strlen(kInputErrorMark)));
  if (const auto deadline = said.find("fedhpc: error: "); deadline != std::string::npos) {
    std::string message = said.substr(deadline + 15);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw InputError(message);
  }
  if (said.rfind(kErrorMark, 0) == 0)  // an exception other than InputError: the reader refused
    throw InputError(fmt::format("{}: reading it failed ({}); the file is damaged", file, said.substr(std::strlen(kErrorMark))));
  const std::string how = WIFSIGNALED(status) ? fmt::format("signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)))
                                              : fmt::format("exit code {}", WEXITSTATUS(status));
  throw InputError(fmt::format("{}: reading it crashed the library that reads it ({}); the file is damaged", file, how));
}

}  // namespace fedhpc
