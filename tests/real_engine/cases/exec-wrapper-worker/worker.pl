$| = 1;
print "worker: started\n";
while (1) { sleep 1; }
