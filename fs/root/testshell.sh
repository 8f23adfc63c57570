# testshell.sh: testshell runs "sh /testshell.sh" with the output going
# into a pipe and compares what comes out with /testshell.key.
# Errors go to the console, not into the output.
echo start of testshell.sh
echo words   with    extra     spaces    # a comment is not printed
echo "quoted  words | stay > together"
echo one ; echo two;echo three
echo alpha > /ts-a
echo beta > /ts-b
cat /ts-a /ts-b /ts-a > /ts-c
cat < /ts-c
cat /ts-c | num
cat < /ts-c | num | num | cat
num < /ts-b > /ts-d ; cat /ts-d
echo z > /ts-a
cat /ts-a /ts-a
echo -n no newline here > /ts-e ; cat /ts-e /ts-b
ls /ts-c /ts-e ; ls -l /ts-c
cat /ts-missing ; echo after a failed command
# Nothing follows the background job, so its output comes last.
echo in the background | num &
