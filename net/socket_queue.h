/*
 * What an lwIP TCP socket still holds of what it was given to send: for a server
 * that has to tell a client that is slow to take its data from a stack that had no
 * buffer left for it (lwIP's segments and pbufs are pools that all connections
 * share).
 */
#ifndef NET_SOCKET_QUEUE_H
#define NET_SOCKET_QUEUE_H

#include <stdbool.h>

/*
 * Whether nothing the TCP socket fd was given to send waits in the stack, neither
 * unsent nor unacknowledged; false for any other socket. A send that would block
 * then waited for the stack's own buffers, not for the peer.
 */
bool net_socket_send_queue_empty(int fd);

#endif
