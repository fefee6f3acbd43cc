#pragma once
extern "C" {
typedef unsigned long pthread_t;
typedef struct { int x; } pthread_attr_t;
int pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int pthread_join(pthread_t, void **);
unsigned int sleep(unsigned int);
int usleep(unsigned int);
struct timespec { long tv_sec; long tv_nsec; };
int nanosleep(const struct timespec *, struct timespec *);
[[noreturn]] void pthread_exit(void *);
typedef struct { int x; } pthread_mutex_t;
int pthread_mutex_lock(pthread_mutex_t *);
int pthread_mutex_unlock(pthread_mutex_t *);
}
