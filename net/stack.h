/*
 * The TCP/IP stack itself, without any network interface but the loopback one
 * (127.0.0.1 and ::1): what the socket API needs to work between threads of one
 * domain. net/net.h starts it with the domain's interfaces.
 */
#ifndef NET_STACK_H
#define NET_STACK_H

/* Start lwIP's tcpip thread, once; returns when the stack is ready for sockets. */
void net_stack_start(void);

#endif
