import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AccountView, SCHEDULER_SERVICE } from '@drone-delivery/contracts';
import { InternalApi } from '@drone-delivery/http';
import { AccountsService } from './accounts.service';

@ApiTags('internal')
@InternalApi({ callers: [SCHEDULER_SERVICE] })
@Controller('internal/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get(':accountId')
  @ApiOperation({ summary: 'Look up an account: whether it exists and is active' })
  findAccount(@Param('accountId', ParseUUIDPipe) accountId: string): Promise<AccountView> {
    return this.accounts.findAccount(accountId);
  }
}
