// Go's `go func() { <-ch }()` on a channel nothing ever sends to, with a
// std::promise: a worker thread that waits for settings nothing ever delivers.
// `tools/taskleak` analyses this file too.
#include <future>
#include <string>
#include <thread>

struct Settings {
  std::string endpoint;
};

void serve(const Settings &settings);
Settings loadSettings();

// LEAK (taskleak-orphaned-receive): the worker waits on `settings_`, but the
// only set_value() is in a private method nothing calls. The promise is a
// member, alive while the worker waits, so no broken_promise ever wakes it,
// and ~Server() hangs in join().
class Server {
public:
  Server() : settings_(promise_.get_future()) {
    worker_ = std::thread([this] { serve(settings_.get()); });
  }
  ~Server() { worker_.join(); }

private:
  void onSettingsLoaded(Settings s) { promise_.set_value(std::move(s)); }
  std::promise<Settings> promise_;
  std::future<Settings> settings_;
  std::thread worker_;
};

// Fixed: a public method delivers the settings; main() calls it.
class ServerFixed {
public:
  ServerFixed() : settings_(promise_.get_future()) {
    worker_ = std::thread([this] { serve(settings_.get()); });
  }
  ~ServerFixed() { worker_.join(); }
  void configure(Settings s) { promise_.set_value(std::move(s)); }

private:
  std::promise<Settings> promise_;
  std::future<Settings> settings_;
  std::thread worker_;
};

int main() {
  ServerFixed fixed;
  fixed.configure(loadSettings());
  Server server;
}
