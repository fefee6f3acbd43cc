// Go's `for line := range ch` over a channel the producer never closes, with
// a Boost.Fiber channel: a log pipeline whose writer thread drains a channel.
// `tools/taskleak` analyses this file too.
#include <boost/fiber/all.hpp>

#include <string>
#include <thread>

using boost::fibers::buffered_channel;

void writeLine(const std::string &line);

// LEAK (taskleak-range-never-closed): the writer's range-for ends only when
// `lines_` is closed; nothing closes it, so ~LogPipeline() hangs in join().
class LogPipeline {
public:
  LogPipeline() {
    writer_ = std::thread([this] {
      for (const std::string &line : lines_)
        writeLine(line);
    });
  }
  ~LogPipeline() { writer_.join(); }
  void log(std::string line) { lines_.push(std::move(line)); }

private:
  buffered_channel<std::string> lines_{64};
  std::thread writer_;
};

// Fixed (Go's `defer close(ch)`): the destructor closes the channel, the
// range-for ends once the queued lines are written, and join() returns.
class LogPipelineFixed {
public:
  LogPipelineFixed() {
    writer_ = std::thread([this] {
      for (const std::string &line : lines_)
        writeLine(line);
    });
  }
  ~LogPipelineFixed() {
    lines_.close();
    writer_.join();
  }
  void log(std::string line) { lines_.push(std::move(line)); }

private:
  buffered_channel<std::string> lines_{64};
  std::thread writer_;
};

int main() {
  LogPipelineFixed fixed;
  fixed.log("started");
  LogPipeline pipeline;
  pipeline.log("started");
}
